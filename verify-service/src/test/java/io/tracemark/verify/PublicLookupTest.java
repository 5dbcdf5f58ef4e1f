package io.tracemark.verify;

import com.mongodb.client.MongoClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.merkle.Rfc9162Verifier;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.tlogproof.TlogProofVerifier;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.verify.fixtures.LoopbackChainNode;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import io.tracemark.verify.fixtures.Registry;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records, receipts and ledger proxies, and the hygiene of the public API (CORS, caching, limits, errors). */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class PublicLookupTest {
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    Registry registry;
    final LoopbackChainNode chain = LoopbackChainNode.shared();

    @BeforeEach
    void setUp() {
        registry = new Registry(mongo, database, chain);
    }

    private Registry.Stored anchored(String tenant, Document keys, Instant at) {
        Registry.Stored r = registry.register(tenant, "media.work", Map.of("title", "t"), keys, at);
        registry.anchor(r, at.plusSeconds(1));
        return r;
    }

    @Test
    void receiptIsTheProofsReceiptFormatWithEveryPieceOfVerificationMaterial() {
        Registry.Stored r = anchored("acme", new Document(), Instant.now());
        JsonPath j = given().get("/v1/receipts/" + r.id()).then().statusCode(200)
                .header("Cache-Control", "public, max-age=3600").extract().jsonPath();
        assertEquals("tracemark.dev/receipt@v1", j.getString("format"));
        assertEquals(r.id(), j.getString("record.id"));
        assertEquals("acme", j.getString("record.tenant"));
        assertEquals("media.work", j.getString("record.type"));
        assertEquals(r.digest(), j.getString("record.digest"));
        assertEquals(r.canonical(), j.getString("record.canonical"));
        assertEquals(chain.size(), j.getLong("block.treeSize"));
        assertTrue(j.getString("tlogProof").startsWith("c2sp.org/tlog-proof@v1\nindex " + j.getLong("leafIndex") + "\n"));
        assertEquals(chain.tsaCertificate(), j.getString("timestamp.tsaCertificate"));
        assertEquals(List.of("tracemark.local/chain-node-1", "tracemark.local/chain-node-2"), j.getList("verifierKeyNames"));
    }

    @Test
    void tlogProofFileVerifiesOfflineWithTheProofsLibrary() {
        Registry.Stored r = anchored("acme", new Document(), Instant.now());
        byte[] file = given().get("/v1/receipts/" + r.id() + "/tlog-proof").then().statusCode(200)
                .header("X-Tracemark-Leaf-Data", r.digest()).extract().asByteArray();
        var verified = TlogProofVerifier.verifyLeafData(file, HexFormat.of().parseHex(r.digest()),
                LoopbackChainNode.ORIGIN, VerifierSet.parse(chain.verifierKeys()), 2);
        assertEquals(2, verified.checkpoint().verifiedBy().size());
    }

    @Test
    void unanchoredAndUnknownRecordsAreProblems() {
        Registry.Stored r = registry.register("acme", "product.batch", Map.of(), new Document(), Instant.now());
        given().get("/v1/receipts/" + r.id()).then().statusCode(404).header("Retry-After", "1")
                .body("type", equalTo("https://tracemark.dev/problems/not-anchored-yet")).body("retriable", equalTo(true));
        given().get("/v1/receipts/01ZZZZZZZZZZZZZZZZZZZZZZZZ").then().statusCode(404)
                .body("type", equalTo("https://tracemark.dev/problems/not-found"));
        given().get("/v1/records/not-an-id").then().statusCode(404);
        given().get("/v1/records/" + r.id()).then().statusCode(200).body("anchor.state", equalTo("accepted"))
                .body("canonical", equalTo(r.canonical())).header("Cache-Control", "public, max-age=2");
    }

    @Test
    void everyRegistrationOfADigestAcrossTenantsOldestAnchoredFirst() {
        String sha = HexFormat.of().formatHex(io.tracemark.proofs.canonical.RecordDigest.sha256(
                ("f" + System.nanoTime()).getBytes(StandardCharsets.UTF_8)));
        Instant t = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).minusSeconds(1000);
        // Anchored in this order, so alice's leaf comes first in the log: priority is log order.
        Registry.Stored first = anchored("alice", new Document("sha256", sha), t);
        Registry.Stored second = anchored("bob", new Document("sha256", sha), t.plusSeconds(100));
        Registry.Stored pending = registry.register("carol", "media.work", Map.of(), new Document("sha256", sha), t.minusSeconds(50));
        given().get("/v1/records?sha256=" + sha.toUpperCase()).then().statusCode(200)
                .body("registrations.recordId", equalTo(List.of(first.id(), second.id(), pending.id())))
                .body("registrations.tenant", equalTo(List.of("alice", "bob", "carol")))
                .body("registrations[0].anchor.anchoredAt", equalTo(t.plusSeconds(1).toString()));
        given().get("/v1/records?sha256=" + first.digest()).then().statusCode(200)
                .body("registrations[0].recordId", equalTo(first.id()));
        given().get("/v1/records?sha256=abc").then().statusCode(400).body("errors[0].pointer", equalTo("/sha256"));
    }

    @Test
    void ledgerProxiesServeVerifiableProofsWithCacheHeaders() {
        anchored("acme", new Document(), Instant.now());
        String note = given().get("/v1/checkpoint").then().statusCode(200).header("Cache-Control", "public, max-age=5")
                .extract().asString();
        Checkpoint latest = Checkpoint.parse(Note.parse(note.getBytes(StandardCharsets.UTF_8)).text());
        Checkpoint first = Checkpoint.parse(Note.parse(chain.checkpoint(1).getBytes(StandardCharsets.UTF_8)).text());
        List<String> hashes = given().get("/v1/proofs/consistency?from=1&to=" + latest.size()).then().statusCode(200)
                .header("Cache-Control", containsString("immutable")).extract().jsonPath().getList("hashes");
        Rfc9162Verifier.verifyConsistency(1, latest.size(), first.rootHash(), latest.rootHash(),
                hashes.stream().map(h -> Base64.getDecoder().decode(h)).toArray(byte[][]::new));
        given().get("/v1/proofs/inclusion?index=0&size=" + latest.size()).then().statusCode(200).body("index", equalTo(0));
        given().get("/v1/proofs/consistency?from=1&to=" + (latest.size() + 100)).then().statusCode(404);
        given().get("/v1/proofs/consistency?from=-1&to=2").then().statusCode(400);
        given().get("/v1/keys").then().statusCode(200).body("verifierKeys", equalTo(chain.verifierKeys()));
    }

    @Test
    void corsAllowsAnyOriginToReadTheApi() {
        given().header("Origin", "https://example.org").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type").options("/v1/verify").then()
                .header("Access-Control-Allow-Origin", notNullValue())
                .header("Access-Control-Allow-Methods", containsString("POST"));
        given().header("Origin", "https://example.org").get("/v1/keys").then().statusCode(200)
                .header("Access-Control-Allow-Origin", notNullValue());
    }

    @Test
    void pagesAreServedStaticWithShortCachingAndNoSniffing() {
        for (String page : List.of("/", "/check.html", "/receipt.html", "/assets/tlog.js")) {
            given().get(page).then().statusCode(200).header("Cache-Control", "public, max-age=300")
                    .header("X-Content-Type-Options", "nosniff");
        }
    }

    @Test
    void oversizedJsonIsRefusedBeforeParsing() {
        String big = "{\"receipt\":{\"canonical\":\"" + "a".repeat(3 * 1024 * 1024) + "\"}}";
        given().contentType(ContentType.JSON).body(big).post("/v1/verify").then().statusCode(413)
                .body("type", equalTo("https://tracemark.dev/problems/payload-too-large"));
    }

    @Test
    void writesAreNotOffered() {
        given().contentType(ContentType.JSON).body("{}").put("/v1/records/01ZZZZZZZZZZZZZZZZZZZZZZZZ").then().statusCode(405);
        given().delete("/v1/receipts/01ZZZZZZZZZZZZZZZZZZZZZZZZ").then().statusCode(405);
    }

    @Test
    void ledgerOutageIsARetriableProblemWithoutInternalDetail() {
        Registry.Stored r = anchored("acme", new Document(), Instant.now());
        chain.setUp(false);
        try {
            given().get("/v1/receipts/" + r.id()).then().statusCode(503).contentType("application/problem+json")
                    .body("type", equalTo("https://tracemark.dev/problems/chain-unavailable"))
                    .body("retriable", equalTo(true))
                    .body(not(containsString("Exception"))).body(not(containsString("127.0.0.1")));
        } finally {
            chain.setUp(true);
        }
    }
}
