package io.tracemark.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteSigner;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptBuilder;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.verify.fixtures.LoopbackChainNode;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import io.tracemark.verify.fixtures.Registry;
import io.tracemark.verify.fixtures.StoreReads;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.tracemark.verify.fixtures.VerifyClient.JSON;
import static io.tracemark.verify.fixtures.VerifyClient.assertCheck;
import static io.tracemark.verify.fixtures.VerifyClient.receipt;
import static io.tracemark.verify.fixtures.VerifyClient.replaceCheckpoint;
import static io.tracemark.verify.fixtures.VerifyClient.replaceProofHashes;
import static io.tracemark.verify.fixtures.VerifyClient.signedCheckpoint;
import static io.tracemark.verify.fixtures.VerifyClient.tlogProof;
import static io.tracemark.verify.fixtures.VerifyClient.verify;
import static io.tracemark.verify.fixtures.VerifyClient.verifyReceipt;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every check code of POST /v1/verify, with a passing and a failing (or warning) outcome each. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class VerifyVerdictTest {
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;
    @Inject
    StoreReads reads;

    Registry registry;
    final LoopbackChainNode chain = LoopbackChainNode.shared();

    @BeforeEach
    void setUp() {
        registry = new Registry(mongo, database, chain);
    }

    private Registry.Stored anchoredBatch(String lot) {
        Registry.Stored r = registry.register("acme", "product.batch", Map.of("gtin", "04006381333931", "lot", lot,
                "quantity", 1200), new Document("gtin", "04006381333931").append("lot", lot), Instant.now());
        registry.anchor(r, Instant.now());
        return r;
    }

    @Test
    void validReceiptPassesEveryCheckWithBothKeysAboveThreshold() {
        Registry.Stored r = anchoredBatch("LOT-OK");
        JsonNode v = verifyReceipt(receipt(r.id()));
        assertEquals("valid", v.path("verdict").asText(), v.toPrettyString());
        for (String code : List.of("receipt.format.valid", "record.digest.match", "record.fields.match",
                "leaf.index.match", "checkpoint.signature.valid", "inclusion.proof.valid", "block.header.valid",
                "timestamp.token.valid", "checkpoint.consistent", "record.superseded")) {
            assertCheck(v, code, "pass");
        }
        assertCheck(v, "claim.prior.exists", "skip");
        JsonNode sig = assertCheck(v, "checkpoint.signature.valid", "pass");
        assertEquals(2, sig.path("data").path("threshold").asInt());
        assertEquals(2, sig.path("data").path("validSignatures").asInt());
        assertEquals("valid", sig.path("data").path("keys").get(0).path("status").asText());
        assertEquals("valid", sig.path("data").path("keys").get(1).path("status").asText());
        JsonNode ts = assertCheck(v, "timestamp.token.valid", "pass");
        assertEquals(receipt(r.id()).path("block").path("treeSize").asLong(), ts.path("data").path("checkpointTreeSize").asLong());
        assertTrue(ts.path("data").path("tsa").asText().contains("Loopback TSA"), ts.toString());
    }

    @Test
    void receiptWithUnknownOrMissingFieldIsMalformed() {
        ObjectNode receipt = receipt(anchoredBatch("LOT-WF").id());
        receipt.put("extra", 1);
        JsonNode v = verifyReceipt(receipt);
        assertEquals("invalid", v.path("verdict").asText());
        JsonNode c = assertCheck(v, "receipt.format.valid", "fail");
        assertTrue(c.path("detail").asText().contains("Unrecognized field \"extra\""), c.toString());
        receipt.remove("extra");
        receipt.remove("tlogProof");
        assertTrue(assertCheck(verifyReceipt(receipt), "receipt.format.valid", "fail").path("detail").asText()
                .contains("tlogProof"));
    }

    @Test
    void alteredCanonicalRecordFailsDigestMatchNamingBothDigests() {
        Registry.Stored r = anchoredBatch("LOT-DG");
        ObjectNode receipt = receipt(r.id());
        String altered = r.canonical().replace("LOT-DG", "LOT-DH");
        ((ObjectNode) receipt.get("record")).put("canonical", altered);
        JsonNode c = assertCheck(verifyReceipt(receipt), "record.digest.match", "fail");
        assertEquals(r.digest(), c.path("expected").asText());
        assertEquals(sha256Hex(altered), c.path("computed").asText());
    }

    @Test
    void recordSuppliedByCallerIsCanonicalisedAndCompared() {
        Registry.Stored r = anchoredBatch("LOT-CALLER");
        ObjectNode req = JSON.createObjectNode();
        req.set("receipt", receipt(r.id()));
        req.set("record", readTree(r.canonical()));
        assertCheck(verify(req), "record.supplied.match", "pass");
        ObjectNode other = (ObjectNode) readTree(r.canonical());
        ((ObjectNode) other.get("payload")).put("quantity", 1201);
        req.set("record", other);
        JsonNode c = assertCheck(verify(req), "record.supplied.match", "fail");
        assertEquals(r.digest(), c.path("expected").asText());
    }

    @Test
    void receiptFieldsThatDisagreeWithTheCanonicalRecordFail() {
        ObjectNode receipt = receipt(anchoredBatch("LOT-FLD").id());
        ObjectNode record = (ObjectNode) receipt.get("record");
        String salt = record.path("salt").asText();
        // the salt is random base64url: the replacement must differ from whatever its first character is
        String altered = (salt.charAt(0) == 'x' ? "y" : "x") + salt.substring(1);
        record.put("salt", altered);
        JsonNode c = assertCheck(verifyReceipt(receipt), "record.fields.match", "fail");
        assertTrue(c.path("expected").asText().endsWith("|" + altered), c.toString());
        assertTrue(c.path("computed").asText().endsWith("|" + salt), c.toString());
    }

    @Test
    void checkpointSignedByFewerKeysThanTheThresholdFails() {
        Registry.Stored r = anchoredBatch("LOT-THR");
        ObjectNode receipt = receipt(r.id());
        Note note = Note.parse(signedCheckpoint(receipt).getBytes(StandardCharsets.UTF_8));
        Note onlyFirst = new Note(note.text(), List.of(note.signatures().get(0)));
        replaceCheckpoint(receipt, new String(onlyFirst.encode(), StandardCharsets.UTF_8));
        JsonNode c = assertCheck(verifyReceipt(receipt), "checkpoint.signature.valid", "fail");
        assertEquals("2", c.path("expected").asText());
        assertEquals("1", c.path("computed").asText());
        assertEquals("absent", c.path("data").path("keys").get(1).path("status").asText());
    }

    @Test
    void checkpointSignedByAnUnknownKeyIsNotTrusted() {
        Registry.Stored r = anchoredBatch("LOT-UNK");
        ObjectNode receipt = receipt(r.id());
        String body = Note.parse(signedCheckpoint(receipt).getBytes(StandardCharsets.UTF_8)).text();
        NoteSigner stranger = LoopbackChainNode.signer("tracemark.local/chain-node-1");
        replaceCheckpoint(receipt, new String(SignedCheckpoints.sign(Checkpoint.parse(body), stranger), StandardCharsets.UTF_8));
        JsonNode c = assertCheck(verifyReceipt(receipt), "checkpoint.signature.valid", "fail");
        assertEquals("untrusted", c.path("data").path("keys").get(2).path("status").asText());
    }

    @Test
    void tamperedInclusionProofFailsNamingExpectedAndComputedRoot() {
        ObjectNode receipt = receipt(anchoredBatch("LOT-INC").id());
        List<byte[]> hashes = new java.util.ArrayList<>(tlogProof(receipt).hashes());
        byte[] h = hashes.get(0).clone();
        h[5] ^= 1;
        hashes.set(0, h);
        replaceProofHashes(receipt, hashes);
        JsonNode c = assertCheck(verifyReceipt(receipt), "inclusion.proof.valid", "fail");
        assertEquals(64, c.path("expected").asText().length());
        assertEquals(64, c.path("computed").asText().length());
        assertTrue(!c.path("expected").asText().equals(c.path("computed").asText()));
    }

    @Test
    void receiptFromAForkedLogIsInconsistentWithTheLatestCheckpoint() {
        anchoredBatch("LOT-PAD-1");
        anchoredBatch("LOT-PAD-2");
        Registry.Stored r = registry.register("acme", "product.batch", Map.of("gtin", "04006381333931", "lot", "LOT-FORK"),
                new Document("gtin", "04006381333931").append("lot", "LOT-FORK"), Instant.now());
        // Same keys, different history: a replica that signed a split view of the log.
        try (LoopbackChainNode fork = LoopbackChainNode.withSigners(chain.signers())) {
            fork.append(r.digest());
            fork.seal();
            Receipt forked = new ReceiptBuilder()
                    .record(r.id(), r.tenant(), r.type(), r.digest(),
                            r.canonical().replaceAll(".*\"salt\":\"([^\"]+)\".*", "$1"), r.canonical(), Instant.now())
                    .leaf(0, List.of(), fork.checkpoint(1).getBytes(StandardCharsets.UTF_8))
                    .block(fork.block(0))
                    .build();
            JsonNode v = verifyReceipt(readTree(ReceiptJson.write(forked)));
            assertCheck(v, "checkpoint.signature.valid", "pass");
            assertCheck(v, "inclusion.proof.valid", "pass");
            JsonNode c = assertCheck(v, "checkpoint.consistent", "fail");
            assertTrue(c.path("data").path("latestTreeSize").asLong() > 1);
            assertEquals("invalid", v.path("verdict").asText());
        }
    }

    @Test
    void unreachableLedgerMakesConsistencyIndeterminateNotValid() throws InterruptedException {
        ObjectNode receipt = receipt(anchoredBatch("LOT-DOWN").id());
        chain.setUp(false);
        try {
            // Past the latest checkpoint's remembered lifetime (100 ms in tests), so the ledger must be asked.
            Thread.sleep(150);
            JsonNode v = verifyReceipt(receipt);
            assertCheck(v, "checkpoint.consistent", "error");
            assertCheck(v, "inclusion.proof.valid", "pass");
            assertEquals("indeterminate", v.path("verdict").asText());
        } finally {
            chain.setUp(true);
        }
    }

    @Test
    void blockHeaderThatIsNotTheSealingBlockFails() {
        anchoredBatch("LOT-B1");
        ObjectNode receipt = receipt(anchoredBatch("LOT-B2").id());
        String stated = receipt.path("block").path("hash").asText();
        ((ObjectNode) receipt.get("block")).put("height", 0);
        JsonNode c = assertCheck(verifyReceipt(receipt), "block.header.valid", "fail");
        assertEquals(stated, c.path("expected").asText());
        assertTrue(!stated.equals(c.path("computed").asText()));
    }

    @Test
    void timestampOverAnotherCheckpointFailsAndAMissingOneIsSkipped() {
        anchoredBatch("LOT-TS1");
        long earlier = chain.size();
        ObjectNode receipt = receipt(anchoredBatch("LOT-TS2").id());
        ((ObjectNode) receipt.get("timestamp")).put("token", Base64.getEncoder().encodeToString(tokenOf(chain.timestamp(earlier))));
        JsonNode c = assertCheck(verifyReceipt(receipt), "timestamp.token.valid", "fail");
        assertTrue(c.path("detail").asText().startsWith("timestamp.imprint.mismatch"), c.toString());
        receipt.remove("timestamp");
        assertCheck(verifyReceipt(receipt), "timestamp.token.valid", "skip");
    }

    @Test
    void supersededRecordWarnsAndNamesTheCorrection() {
        Registry.Stored original = anchoredBatch("LOT-SUP");
        ObjectNode receipt = receipt(original.id());
        assertCheck(verifyReceipt(receipt), "record.superseded", "pass");
        Registry.Stored correction = registry.register("acme", "epcis.event", Map.of("type", "ObjectEvent"),
                new Document("supersedes", List.of(original.id())), Instant.now());
        JsonNode v = verifyReceipt(receipt);
        JsonNode c = assertCheck(v, "record.superseded", "warn");
        assertEquals(correction.id(), c.path("data").path("supersededBy").get(0).path("recordId").asText());
        assertEquals("valid-with-warnings", v.path("verdict").asText());
    }

    @Test
    void verifyingAReceiptReadsOnlyTheRecordItselfFromTheStore() {
        Registry.Stored r = anchoredBatch("LOT-ONE-READ");
        ObjectNode receipt = receipt(r.id());
        reads.start();
        assertEquals("valid", verifyReceipt(receipt).path("verdict").asText());
        List<StoreReads.Read> seen = reads.reads();
        assertEquals(List.of("records"), seen.stream().map(StoreReads.Read::collection).toList(), seen.toString());
        assertEquals(r.id(), seen.get(0).filter().getString("_id").getValue(), seen.toString());
    }

    @Test
    void laterRegistrationOfTheSameWorkByAnotherTenantWarnsOfThePriorClaim() {
        String sha = sha256Hex("a photo " + System.nanoTime());
        Document keys = new Document("sha256", sha).append("phash", "8f3c0e1a55aa0ff0")
                .append("phashChunks", List.of(0x8f3c, 1 << 16 | 0x0e1a, 2 << 16 | 0x55aa, 3 << 16 | 0x0ff0));
        Registry.Stored first = registry.register("alice", "media.work", Map.of("sha256", sha, "title", "Dawn"), keys,
                Instant.now().minusSeconds(60));
        registry.anchor(first, Instant.now().minusSeconds(50));
        Registry.Stored second = registry.register("mallory", "media.work", Map.of("sha256", sha, "title", "Dawn (mine)"),
                keys, Instant.now());
        registry.anchor(second, Instant.now());
        assertCheck(verifyReceipt(receipt(first.id())), "claim.prior.exists", "pass");
        JsonNode c = assertCheck(verifyReceipt(receipt(second.id())), "claim.prior.exists", "warn");
        assertEquals(first.id(), c.path("data").path("prior").path("recordId").asText());
        assertEquals("alice", c.path("data").path("prior").path("tenant").asText());
    }

    @Test
    void fileDigestIsComparedWithTheRegisteredOne() {
        String sha = sha256Hex("file bytes " + System.nanoTime());
        Registry.Stored work = registry.register("alice", "media.work", Map.of("sha256", sha),
                new Document("sha256", sha), Instant.now());
        registry.anchor(work, Instant.now());
        ObjectNode req = JSON.createObjectNode();
        req.set("receipt", receipt(work.id()));
        req.put("fileSha256", sha);
        assertCheck(verify(req), "file.digest.match", "pass");
        req.put("fileSha256", sha256Hex("other"));
        JsonNode c = assertCheck(verify(req), "file.digest.match", "fail");
        assertEquals(sha, c.path("expected").asText());
    }

    @Test
    void verifiesByRecordIdUsingTheServedReceipt() {
        Registry.Stored r = anchoredBatch("LOT-BYID");
        ObjectNode req = JSON.createObjectNode().put("recordId", r.id());
        assertEquals("valid", verify(req).path("verdict").asText());
    }

    @Test
    void rejectsRequestsWithUnknownFieldsAsProblems() {
        given().contentType(ContentType.JSON).body("{\"receipt\":{},\"bogus\":1}").post("/v1/verify").then()
                .statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://tracemark.dev/problems/validation"))
                .body("errors[0].pointer", equalTo("/bogus"));
    }

    static byte[] tokenOf(byte[] timeStampResp) {
        try {
            return new org.bouncycastle.tsp.TimeStampResponse(timeStampResp).getTimeStampToken().getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(String s) {
        return java.util.HexFormat.of().formatHex(io.tracemark.proofs.canonical.RecordDigest.sha256(s.getBytes(StandardCharsets.UTF_8)));
    }

    static JsonNode readTree(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
