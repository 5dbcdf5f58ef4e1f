package io.tracemark.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptCheck;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.receipt.ReceiptVerifier;
import io.tracemark.proofs.receipt.VerificationPolicy;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.verify.fixtures.LoopbackChainNode;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import io.tracemark.verify.fixtures.Registry;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.tracemark.verify.fixtures.VerifyClient.JSON;
import static io.tracemark.verify.fixtures.VerifyClient.assertCheck;
import static io.tracemark.verify.fixtures.VerifyClient.verifyReceipt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The proofs library's receipt bundle: served, verified offline by the library and by POST /v1/verify. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class ReceiptBundleTest {
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    private ObjectNode bundle() throws Exception {
        Registry registry = new Registry(mongo, database, LoopbackChainNode.shared());
        Registry.Stored r = registry.register("acme", "product.batch", Map.of("lot", "BUNDLE"), new Document(), Instant.now());
        registry.anchor(r, Instant.now());
        String json = given().get("/v1/receipts/" + r.id() + "/bundle").then().statusCode(200).extract().asString();
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void bundleVerifiesOfflineWithTheProofsLibrary() throws Exception {
        ObjectNode b = bundle();
        assertEquals(Receipt.FORMAT, b.path("format").asText());
        Receipt r = ReceiptJson.read(b.toString().getBytes(StandardCharsets.UTF_8));
        LoopbackChainNode chain = LoopbackChainNode.shared();
        var policy = new VerificationPolicy(LoopbackChainNode.ORIGIN, VerifierSet.parse(chain.verifierKeys()), 2, List.of(), true);
        List<ReceiptCheck> checks = ReceiptVerifier.verify(r, policy);
        assertTrue(ReceiptVerifier.firstFailure(checks).isEmpty(), checks.toString());
    }

    @Test
    void bundleVerdictCombinesLibraryChecksWithLedgerAndRegistryChecks() throws Exception {
        JsonNode v = verifyReceipt(bundle());
        assertEquals("valid", v.path("verdict").asText(), v.toPrettyString());
        for (String code : List.of("receipt.format.valid", "record.digest.match", "record.fields.match", "leaf.index.match",
                "checkpoint.signature.valid", "inclusion.proof.valid", "block.header.valid", "timestamp.token.valid",
                "checkpoint.consistent", "record.superseded")) {
            assertCheck(v, code, "pass");
        }
    }

    @Test
    void tamperedBundleFieldsFailTheResponsibleCheck() throws Exception {
        ObjectNode b = bundle();
        ObjectNode t = b.deepCopy();
        ((ObjectNode) t.get("record")).put("tenant", "mallory");
        assertCheck(verifyReceipt(t), "record.fields.match", "fail");
        t = b.deepCopy();
        String canonical = t.path("record").path("canonical").asText();
        ((ObjectNode) t.get("record")).put("canonical", canonical.replace("BUNDLE", "BUNDLF"));
        assertCheck(verifyReceipt(t), "record.digest.match", "fail");
        t = b.deepCopy();
        t.put("leafIndex", t.path("leafIndex").asLong() + 1);
        assertCheck(verifyReceipt(t), "leaf.index.match", "fail");
        t = b.deepCopy();
        ((ObjectNode) t.get("block")).put("timeMillis", t.path("block").path("timeMillis").asLong() + 1);
        assertCheck(verifyReceipt(t), "block.header.valid", "fail");
        t = b.deepCopy();
        t.put("bogus", 1);
        assertCheck(verifyReceipt(t), "receipt.wellformed", "fail");
    }
}
