package io.tracemark.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.receipt.ReceiptCheck;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.receipt.ReceiptVerifier;
import io.tracemark.proofs.receipt.TimestampTokens;
import io.tracemark.proofs.receipt.VerificationPolicy;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.verify.fixtures.LoopbackChainNode;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import io.tracemark.verify.fixtures.Registry;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.tracemark.verify.fixtures.VerifyClient.assertCheck;
import static io.tracemark.verify.fixtures.VerifyClient.verify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the public reads of a private record and of one whose content was erased: the proof, never the text or salt. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class ContentVisibilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GTIN = "04006381333931";
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

    private Registry.Stored batch(String lot) {
        return registry.register("acme", "product.batch", Map.of("gtin", GTIN, "lot", lot, "quantity", 7),
                new Document("gtin", GTIN).append("lot", lot), Instant.now());
    }

    private JsonNode get(String path) throws Exception {
        return JSON.readTree(given().accept("application/json").get(path).then().statusCode(200).extract().asString());
    }

    private List<ReceiptCheck> offline(JsonNode receipt) {
        var policy = new VerificationPolicy(LoopbackChainNode.ORIGIN, VerifierSet.parse(chain.verifierKeys()), 2,
                List.of(TimestampTokens.parseCertificatePem(chain.tsaCertificate())), true);
        return ReceiptVerifier.verify(ReceiptJson.read(receipt.toString().getBytes(StandardCharsets.UTF_8)), policy);
    }

    @Test
    void aPrivateRecordShowsDigestTypeRegistrantAndAnchoringButNeitherTextNorSaltNorKeys() throws Exception {
        Registry.Stored r = batch("PRIV-1");
        registry.makePrivate(r);
        registry.anchor(r, Instant.now());

        JsonNode rec = get("/v1/records/" + r.id());
        assertEquals("private", rec.path("content").asText());
        assertEquals(r.digest(), rec.path("digest").asText());
        assertEquals("product.batch", rec.path("type").asText());
        assertEquals("acme", rec.path("tenant").asText());
        assertEquals("anchored", rec.path("anchor").path("state").asText());
        assertTrue(rec.path("canonical").isMissingNode() && rec.path("keys").isMissingNode(), rec.toString());

        JsonNode receipt = get("/v1/receipts/" + r.id());
        assertTrue(receipt.path("record").path("canonical").isNull() || receipt.path("record").path("canonical").isMissingNode(),
                receipt.toString());
        assertTrue(receipt.path("record").path("salt").isNull() || receipt.path("record").path("salt").isMissingNode());
        String salt = JSON.readTree(r.canonical()).path("salt").asText();
        assertFalse(salt.isEmpty() || receipt.toString().contains(salt), "the salt appears nowhere in the public receipt");
        assertFalse(rec.toString().contains(salt));
        assertTrue(ReceiptVerifier.firstFailure(offline(receipt)).isEmpty(), "the digest is still proven offline");

        ObjectNode holder = JSON.createObjectNode();
        holder.set("receipt", receipt);
        holder.put("canonical", r.canonical());
        JsonNode v = verify(holder);
        assertCheck(v, "record.supplied.match", "pass");
        assertCheck(v, "record.content", "pass");
        assertTrue(get("/01/" + GTIN + "/10/PRIV-1").path("product").isNull(), "the page shows no facts of a private batch");
    }

    @Test
    void anErasedRecordKeepsItsProofAndVerifySaysItsContentWasErased() throws Exception {
        Registry.Stored r = batch("ERASE-1");
        registry.anchor(r, Instant.now());
        Instant erasedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        registry.erase(r, erasedAt);

        JsonNode rec = get("/v1/records/" + r.id());
        assertEquals("erased", rec.path("content").asText());
        assertEquals(erasedAt.toString(), rec.path("erasedAt").asText());
        assertEquals(r.digest(), rec.path("digest").asText());
        assertTrue(rec.path("canonical").isMissingNode() && rec.path("keys").isMissingNode(), rec.toString());

        JsonNode receipt = get("/v1/receipts/" + r.id());
        List<ReceiptCheck> checks = offline(receipt);
        assertTrue(ReceiptVerifier.firstFailure(checks).isEmpty(), checks.toString());
        JsonNode v = verify(receiptOnly(receipt));
        JsonNode content = assertCheck(v, "record.content", "warn");
        assertTrue(content.path("detail").asText().contains("erased"), content.toString());
        assertCheck(v, "record.digest.match", "skip");

        ObjectNode holder = receiptOnly(receipt);
        holder.put("canonical", r.canonical());
        assertCheck(verify(holder), "record.supplied.match", "pass");
        JsonNode page = get("/01/" + GTIN + "/10/ERASE-1");
        assertTrue(page.path("product").isNull());
        assertEquals("erased", page.path("registrations").get(0).path("content").asText());
    }

    private static ObjectNode receiptOnly(JsonNode receipt) {
        ObjectNode req = JSON.createObjectNode();
        req.set("receipt", receipt);
        return req;
    }
}
