package io.tracemark.contracts.anchor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JSON form of the anchor request ingest → attest: round trips, the exact wire form, and every refusal code. */
class AnchorRequestCodecTest {
    /** SHA-256 of the empty string. */
    private static final String DIGEST = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    /** SHA-256 of "abc". */
    private static final String FILE_SHA = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final Instant ACCEPTED = Instant.parse("2024-05-01T12:34:56.789Z");

    private static final AnchorRequest BATCH = new AnchorRequest("rec_01HZX3K8QF", "acme", "product.batch", DIGEST,
            ACCEPTED, List.of("09506000134352", "04012345000009"), null);
    private static final AnchorRequest WORK = new AnchorRequest("rec_01HZX3K8QG", "studio", "media.work", DIGEST,
            ACCEPTED, List.of(), new AnchorRequest.Work(FILE_SHA, "8f3c0e1a55aa0ff0"));

    // --- round trips ---------------------------------------------------------------------------------

    @Test
    void productBatchWithGtinsRoundTrips() {
        assertEquals(BATCH, AnchorRequestCodec.decode(AnchorRequestCodec.encode(BATCH)));
    }

    @Test
    void requestWithoutGtinsRoundTripsToAnEmptyList() {
        AnchorRequest none = new AnchorRequest("rec_1", "acme", "epcis.event", DIGEST, ACCEPTED, null, null);
        assertEquals(List.of(), none.gtins());
        AnchorRequest back = AnchorRequestCodec.decode(AnchorRequestCodec.encode(none));
        assertEquals(none, back);
        assertEquals(List.of(), back.gtins());
    }

    @Test
    void mediaWorkWithPhashRoundTrips() {
        assertEquals(WORK, AnchorRequestCodec.decode(AnchorRequestCodec.encode(WORK)));
    }

    @Test
    void mediaWorkWithNullPhashRoundTrips() {
        AnchorRequest noImage = new AnchorRequest("rec_2", "studio", "media.work", DIGEST, ACCEPTED, List.of(),
                new AnchorRequest.Work(FILE_SHA, null));
        AnchorRequest back = AnchorRequestCodec.decode(AnchorRequestCodec.encode(noImage));
        assertEquals(noImage, back);
        assertNull(back.work().phash());
    }

    @Test
    void unicodeTenantAndRecordIdRoundTrip() {
        AnchorRequest r = new AnchorRequest("rec_ß✓🙂", "Ünïcødé-テナント", "product.batch", DIGEST, ACCEPTED,
                List.of("09506000134352"), null);
        assertEquals(r, AnchorRequestCodec.decode(AnchorRequestCodec.encode(r)));
    }

    @Test
    void acceptedAtOnTheEpochSecondRoundTrips() {
        AnchorRequest r = new AnchorRequest("rec_3", "acme", "product.batch", DIGEST,
                Instant.parse("2024-05-01T12:34:56Z"), List.of(), null);
        assertEquals(r, AnchorRequestCodec.decode(AnchorRequestCodec.encode(r)));
    }

    @Test
    void decodeTruncatesAcceptedAtToMillisecondsAsTheStoreKeepsIt() {
        ObjectNode n = tree(BATCH);
        n.put("acceptedAt", "2024-05-01T12:34:56.789999999Z");
        assertEquals(ACCEPTED, AnchorRequestCodec.decode(bytes(n)).acceptedAt());
    }

    @Test
    void decodeWithoutGtinsFieldGivesAnEmptyList() {
        ObjectNode n = tree(BATCH);
        n.remove("gtins");
        assertEquals(List.of(), AnchorRequestCodec.decode(bytes(n)).gtins());
    }

    @Test
    void decodeToleratesUnknownFields() {
        ObjectNode n = tree(WORK);
        n.put("addedLater", 42).putObject("nested").put("x", "y");
        ((ObjectNode) n.get("work")).put("dhash", "0000000000000000");
        assertEquals(WORK, AnchorRequestCodec.decode(bytes(n)));
    }

    @Test
    void contentWithUnicodeAndEscapesRoundTrips() {
        AnchorRequest r = BATCH.withContent(new AnchorRequest.Content("q9Ld8n1xkZ3oVb6tYc2WeA",
                "{\"id\":\"rec_01HZX3K8QF\",\"payload\":{\"name\":\"Crème \\\"brûlée\\\" 🙂\"}}"));
        AnchorRequest back = AnchorRequestCodec.decode(AnchorRequestCodec.encode(r));
        assertEquals(r, back);
        assertEquals(r.content().canonical(), back.content().canonical());
    }

    @Test
    void requestWithoutContentDecodesWithNullContent() {
        assertNull(AnchorRequestCodec.decode(AnchorRequestCodec.encode(BATCH)).content());
    }

    @Test
    void rejectsContentThatIsNotAnObject() {
        assertCode("anchor-request.content", BATCH, n -> n.put("content", "salt+canonical"));
    }

    @Test
    void rejectsContentWithoutCanonicalText() {
        assertCode("anchor-request.content.canonical", BATCH, n -> n.putObject("content").put("salt", "abc"));
    }

    @Test
    void rejectsContentWithANumericSalt() {
        assertCode("anchor-request.content.salt", BATCH, n -> n.putObject("content").put("salt", 7).put("canonical", "{}"));
    }

    // --- golden wire form ----------------------------------------------------------------------------

    @Test
    void encodeOfAProductBatchIsExactlyTheGoldenJson() {
        String expected = "{\"recordId\":\"rec_01HZX3K8QF\",\"tenant\":\"acme\",\"type\":\"product.batch\","
                + "\"digest\":\"" + DIGEST + "\",\"acceptedAt\":\"2024-05-01T12:34:56.789Z\","
                + "\"gtins\":[\"09506000134352\",\"04012345000009\"]}";
        assertEquals(expected, new String(AnchorRequestCodec.encode(BATCH), StandardCharsets.UTF_8));
    }

    @Test
    void encodeOfAMediaWorkIsExactlyTheGoldenJson() {
        String expected = "{\"recordId\":\"rec_01HZX3K8QG\",\"tenant\":\"studio\",\"type\":\"media.work\","
                + "\"digest\":\"" + DIGEST + "\",\"acceptedAt\":\"2024-05-01T12:34:56.789Z\",\"gtins\":[],"
                + "\"work\":{\"sha256\":\"" + FILE_SHA + "\",\"phash\":\"8f3c0e1a55aa0ff0\"}}";
        assertEquals(expected, new String(AnchorRequestCodec.encode(WORK), StandardCharsets.UTF_8));
    }

    @Test
    void encodeWritesAnExplicitNullPhashForAWorkThatIsNotAnImage() {
        AnchorRequest r = new AnchorRequest("r", "t", "media.work", DIGEST, ACCEPTED, List.of(),
                new AnchorRequest.Work(FILE_SHA, null));
        String json = new String(AnchorRequestCodec.encode(r), StandardCharsets.UTF_8);
        assertTrue(json.endsWith(",\"work\":{\"sha256\":\"" + FILE_SHA + "\",\"phash\":null}}"), json);
    }

    @Test
    void encodeOfUnicodeIsUtf8() {
        AnchorRequest r = new AnchorRequest("rec_🙂", "Ünï", "product.batch", DIGEST, ACCEPTED, List.of(), null);
        String json = new String(AnchorRequestCodec.encode(r), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"recordId\":\"rec_🙂\",\"tenant\":\"Ünï\","), json);
    }

    // --- invalid fixtures: each a mutation of a valid message ----------------------------------------

    @Test
    void missingRecordIdIsRefused() {
        assertCode("anchor-request.recordId", BATCH, n -> n.remove("recordId"));
    }

    @Test
    void blankOrNonTextRecordIdIsRefused() {
        assertCode("anchor-request.recordId", BATCH, n -> n.put("recordId", ""));
        assertCode("anchor-request.recordId", BATCH, n -> n.put("recordId", "   "));
        assertCode("anchor-request.recordId", BATCH, n -> n.put("recordId", 17));
        assertCode("anchor-request.recordId", BATCH, n -> n.putNull("recordId"));
    }

    @Test
    void missingTenantOrTypeIsRefused() {
        assertCode("anchor-request.tenant", BATCH, n -> n.remove("tenant"));
        assertCode("anchor-request.type", BATCH, n -> n.remove("type"));
    }

    @Test
    void uppercaseDigestIsRefused() {
        assertCode("anchor-request.digest", BATCH, n -> n.put("digest", DIGEST.toUpperCase()));
    }

    @Test
    void digestOf63HexDigitsIsRefused() {
        assertCode("anchor-request.digest", BATCH, n -> n.put("digest", DIGEST.substring(1)));
    }

    @Test
    void digestOf65HexDigitsOrNonHexIsRefused() {
        assertCode("anchor-request.digest", BATCH, n -> n.put("digest", DIGEST + "0"));
        assertCode("anchor-request.digest", BATCH, n -> n.put("digest", "g" + DIGEST.substring(1)));
        assertCode("anchor-request.digest", BATCH, n -> n.remove("digest"));
    }

    @Test
    void badAcceptedAtIsRefused() {
        assertCode("anchor-request.acceptedAt", BATCH, n -> n.put("acceptedAt", "yesterday"));
        assertCode("anchor-request.acceptedAt", BATCH, n -> n.put("acceptedAt", "2024-05-01 12:34:56Z"));
        assertCode("anchor-request.acceptedAt", BATCH, n -> n.put("acceptedAt", "2024-13-01T12:34:56Z"));
        assertCode("anchor-request.acceptedAt", BATCH, n -> n.put("acceptedAt", 1714566896789L));
        assertCode("anchor-request.acceptedAt", BATCH, n -> n.remove("acceptedAt"));
    }

    @Test
    void badWorkSha256IsRefused() {
        assertCode("anchor-request.work.sha256", WORK, n -> work(n).put("sha256", FILE_SHA.toUpperCase()));
        assertCode("anchor-request.work.sha256", WORK, n -> work(n).put("sha256", FILE_SHA.substring(1)));
        assertCode("anchor-request.work.sha256", WORK, n -> work(n).remove("sha256"));
        assertCode("anchor-request.work.sha256", WORK, n -> work(n).putNull("sha256"));
    }

    @Test
    void phashOf15HexDigitsIsRefused() {
        assertCode("anchor-request.work.phash", WORK, n -> work(n).put("phash", "8f3c0e1a55aa0ff"));
    }

    @Test
    void uppercaseOr17DigitPhashIsRefused() {
        assertCode("anchor-request.work.phash", WORK, n -> work(n).put("phash", "8F3C0E1A55AA0FF0"));
        assertCode("anchor-request.work.phash", WORK, n -> work(n).put("phash", "8f3c0e1a55aa0ff00"));
    }

    @Test
    void notJsonIsRefused() {
        assertEquals("anchor-request.json", violation("{\"recordId\": ".getBytes(StandardCharsets.UTF_8)).code());
        assertEquals("anchor-request.json", violation("not json at all".getBytes(StandardCharsets.UTF_8)).code());
        assertEquals("anchor-request.json", violation(new byte[0]).code());
    }

    @Test
    void jsonArrayIsRefused() {
        byte[] array = ("[" + new String(AnchorRequestCodec.encode(BATCH), StandardCharsets.UTF_8) + "]")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals("anchor-request.json", violation(array).code());
    }

    @Test
    void jsonScalarOrNullIsRefused() {
        assertEquals("anchor-request.json", violation("\"x\"".getBytes(StandardCharsets.UTF_8)).code());
        assertEquals("anchor-request.json", violation("null".getBytes(StandardCharsets.UTF_8)).code());
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static ObjectNode tree(AnchorRequest r) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(AnchorRequestCodec.encode(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode work(ObjectNode n) {
        return (ObjectNode) n.get("work");
    }

    private static byte[] bytes(ObjectNode n) {
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ContractViolation violation(byte[] value) {
        return assertThrows(ContractViolation.class, () -> AnchorRequestCodec.decode(value));
    }

    private static void assertCode(String code, AnchorRequest valid, Consumer<ObjectNode> mutation) {
        ObjectNode n = tree(valid);
        AnchorRequestCodec.decode(bytes(n)); // the fixture is valid before the mutation
        mutation.accept(n);
        ContractViolation v = violation(bytes(n));
        assertEquals(code, v.code(), () -> n + " -> " + v.getMessage());
    }
}
