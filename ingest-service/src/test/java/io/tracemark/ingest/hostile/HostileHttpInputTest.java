package io.tracemark.ingest.hostile;

import com.mongodb.client.MongoClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.tracemark.proofs.canonical.CanonicalJson;
import org.junit.jupiter.params.provider.Arguments;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Hostile and malformed bodies on every JSON intake endpoint: each gets one exact RFC 9457 problem
 * (never a 500), and nothing is written to {@code records}.
 */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class HostileHttpInputTest {
    static final String BATCH = "{\"gtin\":\"4006381333931\",\"lot\":\"LOT-1\",\"quantity\":12,\"unit\":\"H87\"}";

    @Inject
    ApiKeyStore keys;
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;
    String apiKey;
    long recordsBefore;

    @BeforeEach
    void tenantAndCount() {
        apiKey = keys.issue("hostile-http", EnumSet.of(Role.READ, Role.WRITE)).apiKey();
        recordsBefore = records();
    }

    @AfterEach
    void serviceStillAnswersAndNothingWasStored() {
        given().get("/q/health/live").then().statusCode(200);
        assertEquals(recordsBefore, records(), "a rejected request must not write to records");
    }

    long records() {
        return mongo.getDatabase(database).getCollection("records").countDocuments();
    }

    /** One hostile body: where it goes, and the exact problem (type, distinct field codes in order) it must get. */
    record Case(String name, String path, byte[] body, int status, String type, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case batch(String name, String body, int status, String type, String code) {
        return new Case(name, "/v1/products/batches", body.getBytes(StandardCharsets.UTF_8), status, type, code);
    }

    static Case batchBytes(String name, byte[] body, int status, String type, String code) {
        return new Case(name, "/v1/products/batches", body, status, type, code);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Case> hostileBatches() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        return Stream.of(
                batch("malformed JSON", "{\"gtin\":", 400, "malformed-json", null),
                batch("truncated document", BATCH.substring(0, BATCH.length() - 7), 400, "malformed-json", null),
                batch("not JSON at all", "gtin=4006381333931&lot=LOT-1", 400, "malformed-json", null),
                batch("two documents", BATCH + BATCH, 400, "malformed-json", null),
                batch("empty body", "", 422, "validation", "body.required"),
                batch("JSON null", "null", 422, "validation", "type.object"),
                batch("array instead of object", "[" + BATCH + "]", 422, "validation", "type.object"),
                batch("string instead of object", "\"" + "x".repeat(100) + "\"", 422, "validation", "type.object"),
                batch("gtin as a number", BATCH.replace("\"4006381333931\"", "4006381333931"), 422, "validation", "gtin.required"),
                batch("lot as an array", BATCH.replace("\"LOT-1\"", "[\"LOT-1\"]"), 422, "validation", "lot.invalid"),
                batch("quantity as a string", BATCH.replace("12", "\"12\""), 422, "validation", "quantity.invalid"),
                batch("quantity as a boolean", BATCH.replace("12", "true"), 422, "validation", "quantity.invalid"),
                batch("date as a number", BATCH.replace("}", ",\"productionDate\":20261101}"), 422, "validation", "date.invalid"),
                batch("inputs as an object", BATCH.replace("}", ",\"inputs\":{\"gtin\":\"1\"}}"), 422, "validation", "inputs.invalid"),
                batch("input gtin as a number", BATCH.replace("}", ",\"inputs\":[{\"gtin\":4006381333931,\"lot\":\"A\"}]}"),
                        422, "validation", "gtin.required"),
                batch("certificate name holding 1e400", BATCH.replace("}",
                        ",\"certificates\":[{\"sha256\":\"" + "a".repeat(64) + "\",\"name\":{\"n\":1e400}}]}"),
                        422, "validation", "certificates.invalid"),
                batch("certificates as text", BATCH.replace("}", ",\"certificates\":\"x\"}"), 422, "validation", "certificates.invalid"),
                batch("unknown field", BATCH.replace("}", ",\"tenant\":\"someone-else\"}"), 422, "validation", "field.unknown"),
                batch("quantity 1e400", BATCH.replace("12", "1e400"), 422, "validation", "quantity.invalid"),
                batch("quantity -1e400", BATCH.replace("12", "-1e400"), 422, "validation", "quantity.invalid"),
                batch("quantity 2^64+1", BATCH.replace("12", "18446744073709551617"), 422, "validation", "quantity.invalid"),
                batch("quantity of 400 digits", BATCH.replace("12", "9".repeat(400)), 422, "validation", "quantity.invalid"),
                batch("quantity 1e-400", BATCH.replace("12", "1e-400"), 422, "validation", "quantity.invalid"),
                batch("number of 5000 digits", BATCH.replace("12", "7".repeat(5000)), 400, "malformed-json", null),
                batch("unknown field holding 1e400", BATCH.replace("}", ",\"x\":1e400}"), 422, "validation", "field.unknown"),
                batch("10,000 levels of nesting", BATCH.replace("12", deep), 400, "malformed-json", null),
                batch("10,000 levels of objects", "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000), 400, "malformed-json", null),
                batch("body over the record limit", BATCH.replace("}", ",\"description\":\"" + "d".repeat(70_000) + "\"}"),
                        413, "payload-too-large", "size.exceeded"),
                batchBytes("invalid UTF-8 in a string", concat(utf8("{\"gtin\":\"4006381333931\",\"lot\":\"L"),
                        new byte[] {(byte) 0xC3, (byte) 0x28}, utf8("\"}")), 400, "malformed-json", null),
                batchBytes("overlong UTF-8 encoding", concat(utf8("{\"gtin\":\"4006381333931\",\"lot\":\"L"),
                        new byte[] {(byte) 0xC0, (byte) 0xAF}, utf8("\"}")), 400, "malformed-json", null),
                batchBytes("UTF-16 body", BATCH.getBytes(StandardCharsets.UTF_16), 400, "malformed-json", null),
                batchBytes("UTF-32 body with BOM", concat(new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF},
                        BATCH.getBytes(java.nio.charset.Charset.forName("UTF-32BE"))), 400, "malformed-json", null),
                batch("duplicate member names", "{\"gtin\":\"4006381333931\",\"gtin\":\"4006381333948\",\"lot\":\"L\"}",
                        400, "malformed-json", null),
                batchBytes("raw NUL byte in a string", concat(utf8("{\"gtin\":\"4006381333931\",\"lot\":\"L"),
                        new byte[] {0}, utf8("\"}")), 400, "malformed-json", null),
                batchBytes("raw NUL byte between tokens", concat(utf8("{\"gtin\":\"4006381333931\","), new byte[] {0},
                        utf8("\"lot\":\"L\"}")), 400, "malformed-json", null),
                batch("escaped NUL in the lot", "{\"gtin\":\"4006381333931\",\"lot\":\"L\\u0000\"}", 422, "validation", "lot.invalid"),
                batch("unpaired surrogate in the description", BATCH.replace("}", ",\"description\":\"\\ud800\"}"),
                        422, "validation", "json.not-i-json"),
                batch("GTIN with a bad check digit", BATCH.replace("4006381333931", "4006381333932"), 422, "validation", "gtin.check-digit"),
                batch("GTIN of 15 digits", BATCH.replace("4006381333931", "400638133393100"), 422, "validation", "gtin.length"),
                batch("GTIN with letters", BATCH.replace("4006381333931", "40063813339E1"), 422, "validation", "gtin.not-digits"),
                batch("GLN with a bad check digit", BATCH.replace("}", ",\"facilityGln\":\"4012345000008\"}"), 422, "validation", "gln.invalid"),
                batch("input GTIN with a bad check digit",
                        BATCH.replace("}", ",\"inputs\":[{\"gtin\":\"4006381333930\",\"lot\":\"A\"}]}"), 422, "validation", "gtin.check-digit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBatches")
    void rejectsHostileProductBatchBodyWithOneExactProblem(Case c) {
        post(c, null);
    }

    static Stream<Case> hostileEvents() {
        String event = "{\"type\":\"ObjectEvent\",\"eventTime\":\"2026-01-01T00:00:00Z\",\"eventTimeZoneOffset\":\"+00:00\","
                + "\"action\":\"OBSERVE\",\"epcList\":[\"urn:epc:id:sgtin:4006381.033393.1\"]}";
        return Stream.of(
                new Case("unknown event type", "/v1/events", utf8(event.replace("ObjectEvent", "TeleportEvent")),
                        422, "validation", "epcis.event-type"),
                new Case("event type as an array", "/v1/events", utf8(event.replace("\"ObjectEvent\"", "[\"ObjectEvent\"]")),
                        422, "validation", "epcis.event-type"),
                new Case("quantity 1e400", "/v1/events", utf8(event.replace("}",
                        ",\"quantityList\":[{\"epcClass\":\"urn:epc:class:lgtin:4006381.033393.L1\",\"quantity\":1e400,\"uom\":\"KGM\"}]}")),
                        422, "validation", "epcis.quantity"),
                new Case("extension nested 10,000 levels", "/v1/events", utf8(event.replace("}",
                        ",\"ext:deep\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}")), 400, "malformed-json", null),
                new Case("extension holding 1e400", "/v1/events", utf8(event.replace("}", ",\"ext:n\":1e400}")),
                        422, "validation", "json.not-i-json"),
                new Case("EPC that is not a URI", "/v1/events", utf8(event.replace("urn:epc:id:sgtin:4006381.033393.1", "not a uri")),
                        422, "validation", "epcis.epc-list"),
                new Case("work with 1e400 and a signature", "/v1/works", utf8("{\"title\":\"t\",\"creators\":[\"c\"],"
                        + "\"mediaType\":\"image/png\",\"sha256\":\"" + "a".repeat(64) + "\",\"x\":1e400,"
                        + "\"signature\":{\"alg\":\"Ed25519\",\"publicKey\":\"AAAA\",\"value\":\"AAAA\"}}"),
                        422, "validation", "field.unknown,json.not-i-json"),
                new Case("capture with a UTF-16 body", "/v1/epcis/capture",
                        ("{\"type\":\"EPCISDocument\",\"epcisBody\":{\"eventList\":[" + event + "]}}")
                                .getBytes(StandardCharsets.UTF_16LE), 400, "malformed-json", null),
                new Case("capture document of the wrong type", "/v1/epcis/capture",
                        utf8("{\"type\":\"EPCISQueryDocument\",\"epcisBody\":{\"eventList\":[" + event + "]}}"),
                        422, "validation", "epcis.document-type"),
                new Case("capture without an event list", "/v1/epcis/capture",
                        utf8("{\"type\":\"EPCISDocument\",\"epcisBody\":{\"eventList\":{}}}"), 422, "validation", "epcis.event-list"),
                new Case("capture that is truncated", "/v1/epcis/capture",
                        utf8("{\"type\":\"EPCISDocument\",\"epcisBody\":{\"eventList\":[" + event), 400, "malformed-json", null),
                new Case("capture nested 10,000 levels", "/v1/epcis/capture",
                        utf8("{\"type\":\"EPCISDocument\",\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"),
                        400, "malformed-json", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileEvents")
    void rejectsHostileEventAndWorkBodiesWithOneExactProblem(Case c) {
        post(c, null);
    }

    static Stream<Arguments> forgedSignatures() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("Ed25519");
        KeyPair signer = gen.generateKeyPair();
        KeyPair other = gen.generateKeyPair();
        String claim = "{\"title\":\"Sunrise\",\"creators\":[\"Ada\"],\"mediaType\":\"image/png\",\"sha256\":\"" + "b".repeat(64) + "\"}";
        byte[] good = sign(signer, CanonicalJson.canonicalize(claim));
        String pub = b64(signer.getPublic().getEncoded());
        return Stream.of(
                Arguments.of("signature over another payload", claim.replace("Sunrise", "Sunset"), "Ed25519", pub, b64(good), "signature.invalid"),
                Arguments.of("signature checked with another key", claim, "Ed25519", b64(other.getPublic().getEncoded()), b64(good), "signature.invalid"),
                Arguments.of("truncated signature", claim, "Ed25519", pub, b64(Arrays.copyOf(good, 40)), "signature.invalid"),
                Arguments.of("public key that is not SPKI", claim, "Ed25519", b64(new byte[32]), b64(good), "signature.key-invalid"),
                Arguments.of("Ed25519 key under ES256", claim, "ES256", pub, b64(good), "signature.key-mismatch"),
                Arguments.of("value that is not base64", claim, "Ed25519", pub, "!!not base64!!", "signature.encoding"),
                Arguments.of("unknown algorithm", claim, "none", pub, b64(good), "signature.alg"));
    }

    static byte[] sign(KeyPair k, byte[] message) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(k.getPrivate());
        s.update(message);
        return s.sign();
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgedSignatures")
    void rejectsForgedClaimantSignature(String name, String claim, String alg, String publicKey, String value, String code) {
        String body = claim.substring(0, claim.length() - 1) + ",\"signature\":{\"alg\":\"" + alg + "\",\"publicKey\":\""
                + publicKey + "\",\"value\":\"" + value + "\"}}";
        post(new Case(name, "/v1/works", utf8(body), 422, "validation", code), null);
    }

    static Stream<String> abusiveIdempotencyKeys() {
        return Stream.of("k".repeat(201), "k".repeat(8000), "tab\tinside", "caf\u00e9");
    }

    @ParameterizedTest
    @MethodSource("abusiveIdempotencyKeys")
    void rejectsAbusiveIdempotencyKey(String key) {
        post(batch("idempotency key", BATCH, 422, "validation", "idempotency-key.invalid"), key);
    }

    @Test
    void refusesABodyThatIsNotJsonByMediaType() {
        given().header("Authorization", "Bearer " + apiKey).contentType("text/plain").body(BATCH)
                .post("/v1/products/batches")
                .then().statusCode(415).contentType("application/problem+json")
                .body("type", equalTo("https://tracemark.dev/problems/http-415"));
    }

    @Test
    void refusesAnUploadOverTheFileLimit() {
        byte[] file = new byte[2 * 1024 * 1024 + 1];
        given().header("Authorization", "Bearer " + apiKey)
                .multiPart("metadata", "{\"title\":\"t\",\"creators\":[\"c\"],\"mediaType\":\"application/octet-stream\"}",
                        "application/json")
                .multiPart("file", "big.bin", file, "application/octet-stream")
                .post("/v1/works")
                .then().statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("https://tracemark.dev/problems/payload-too-large"))
                .body("errors.code", hasItem("size.exceeded"));
    }

    @Test
    void refusesAnUploadWithoutMetadataOrWithGarbageMetadata() {
        given().header("Authorization", "Bearer " + apiKey)
                .multiPart("file", "a.bin", new byte[] {1, 2, 3}, "application/octet-stream")
                .post("/v1/works")
                .then().statusCode(422).body("errors.code", hasItem("body.required"));
        given().header("Authorization", "Bearer " + apiKey)
                .multiPart("metadata", "{\"title\":", "application/json")
                .multiPart("file", "a.bin", new byte[] {1, 2, 3}, "application/octet-stream")
                .post("/v1/works")
                .then().statusCode(400).body("type", equalTo("https://tracemark.dev/problems/malformed-json"));
    }

    @Test
    void ignoresAUtf8ByteOrderMarkAsRfc8259Allows() {
        // A lot of its own: the tenant registers each GTIN and lot once, and the next test registers BATCH.
        byte[] body = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(BATCH.replace("LOT-1", "LOT-BOM")));
        given().header("Authorization", "Bearer " + apiKey).contentType("application/json").body(body)
                .post("/v1/products/batches").then().statusCode(201);
        recordsBefore++;
    }

    @Test
    void stillAcceptsAValidBatchAfterHostileInput() {
        given().header("Authorization", "Bearer " + apiKey).contentType("application/json").body(BATCH)
                .post("/v1/products/batches").then().statusCode(201);
        recordsBefore++;
    }

    private void post(Case c, String idempotencyKey) {
        var req = given().header("Authorization", "Bearer " + apiKey).contentType("application/json").body(c.body());
        if (idempotencyKey != null) {
            req.header("Idempotency-Key", idempotencyKey);
        }
        Response r = req.post(c.path());
        r.then().statusCode(c.status()).contentType("application/problem+json")
                .body("type", equalTo("https://tracemark.dev/problems/" + c.type()))
                .body("status", equalTo(c.status()));
        if (c.code() != null) {
            List<String> codes = r.path("errors.code");
            assertEquals(List.of(c.code().split(",")), codes.stream().distinct().toList(), r.asString());
        }
    }
}
