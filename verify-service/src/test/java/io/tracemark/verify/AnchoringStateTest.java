package io.tracemark.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tracemark.contracts.blocks.BlockFacts;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.receipt.Receipt;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import io.tracemark.proofs.receipt.ReceiptJson;
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
import java.util.Base64;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.tracemark.verify.fixtures.VerifyClient.JSON;
import static io.tracemark.verify.fixtures.VerifyClient.verify;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Anchoring is derived from per-block facts and the chain node's leaf index, never from a per-record
 * document: a record is anchored once the ledger has sealed its digest in a block and that block's facts
 * are stored, and its receipt carries that block's checkpoint.
 */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class AnchoringStateTest {
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

    private void assertAccepted(Registry.Stored r) {
        given().get("/v1/records/" + r.id()).then().statusCode(200)
                .header("Cache-Control", "public, max-age=2")
                .body("anchor.state", equalTo("accepted")).body("receiptUrl", nullValue());
        given().get("/v1/records?sha256=" + r.digest()).then().statusCode(200)
                .body("registrations[0].recordId", equalTo(r.id()))
                .body("registrations[0].anchor.state", equalTo("accepted"));
        given().get("/v1/receipts/" + r.id()).then().statusCode(404).header("Retry-After", "1")
                .body("type", equalTo("https://tracemark.dev/problems/not-anchored-yet"));
        given().contentType(ContentType.JSON).body("{\"recordId\":\"" + r.id() + "\"}").post("/v1/verify").then()
                .statusCode(404).body("type", equalTo("https://tracemark.dev/problems/not-anchored-yet"));
    }

    @Test
    void recordInNoSealedBlockIsAcceptedNotAnchored() {
        Registry.Stored r = registry.register("acme", "product.batch", Map.of("lot", "UNSEALED"), new Document(), Instant.now());
        assertAccepted(r);
        // In the log but in no sealed block yet: the ledger does not name a block, so still not anchored.
        chain.append(r.digest());
        assertAccepted(r);
    }

    @Test
    void aPendingRecordIsAskedOfTheLedgerOncePerTreeSizeAndReadsAnchoredOnceTheLogGrows() {
        if (chain.latestCheckpoint() == null) {
            chain.seal(); // Leaves another test left unsealed: the log's latest checkpoint covers every leaf again.
        }
        Registry.Stored r = registry.register("acme", "product.batch", Map.of("lot", "PENDING"), new Document(), Instant.now());
        given().get("/v1/records/" + r.id()).then().statusCode(200).body("anchor.state", equalTo("accepted"));
        long statements = chain.leafAbsences();
        given().get("/v1/records/" + r.id()).then().statusCode(200).body("anchor.state", equalTo("accepted"));
        given().get("/v1/records?sha256=" + r.digest()).then().statusCode(200)
                .body("registrations[0].anchor.state", equalTo("accepted"));
        assertEquals(statements, chain.leafAbsences(), "the ledger said absent from this tree, and the log has not grown");

        long leaf = registry.anchor(r, Instant.now());
        given().get("/v1/records/" + r.id()).then().statusCode(200).body("anchor.state", equalTo("anchored"))
                .body("anchor.leafIndex", equalTo((int) leaf));
    }

    @Test
    void stateFlipsToAnchoredOnceTheBlockFactsExistAndTheReceiptCarriesThatBlocksCheckpoint() throws Exception {
        Instant sealedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Registry.Stored r = registry.register("acme", "product.batch", Map.of("lot", "FLIP"), new Document(), sealedAt);
        Registry.Sealed sealed = registry.seal(r, sealedAt);
        // Sealed on the ledger, but attest has not stored the block's facts: not anchored, and not cached as such.
        assertAccepted(r);

        // A later block, so that the latest checkpoint is not the one of the record's block.
        registry.anchor(registry.register("acme", "product.batch", Map.of("lot", "LATER"), new Document(), Instant.now()),
                Instant.now());
        Document facts = registry.blockFacts(sealed.blockHeight());
        String blockCheckpoint = facts.getString(BlockFacts.CHECKPOINT);
        long blockSize = facts.get(BlockFacts.TREE_SIZE, Number.class).longValue();
        assertTrue(blockSize < chain.size());

        given().get("/v1/records/" + r.id()).then().statusCode(200)
                // Public content may still be erased: shared caches keep it five minutes, not a day.
                .header("Cache-Control", "public, max-age=300")
                .body("anchor.state", equalTo("anchored"))
                .body("anchor.leafIndex", equalTo((int) sealed.leafIndex()))
                .body("anchor.blockHeight", equalTo((int) sealed.blockHeight()))
                .body("anchor.treeSize", equalTo((int) blockSize))
                .body("anchor.anchoredAt", equalTo(sealedAt.toString()))
                .body("receiptUrl", equalTo("/v1/receipts/" + r.id()));

        assertEquals(2, Note.parse(blockCheckpoint.getBytes(StandardCharsets.UTF_8)).signatures().size());
        String json = given().get("/v1/receipts/" + r.id()).then().statusCode(200)
                .header("Cache-Control", "public, max-age=3600").extract().asString();
        Receipt receipt = ReceiptJson.read(json.getBytes(StandardCharsets.UTF_8));
        // The checkpoint and time-stamp of the block that first included the record, never a later one.
        assertTrue(receipt.tlogProof().endsWith(blockCheckpoint), receipt.tlogProof());
        assertFalse(receipt.tlogProof().endsWith(chain.latestCheckpoint()));
        assertEquals(blockSize, receipt.block().treeSize());
        assertEquals(sealed.blockHeight(), receipt.block().height());
        assertEquals(sealedAt.toString(), receipt.record().acceptedAt());
        assertEquals(new TimeStampResponse(chain.timestamp(blockSize)).getTimeStampToken().getTimeStampInfo().getSerialNumber(),
                new TimeStampToken(new CMSSignedData(Base64.getDecoder().decode(receipt.timestamp().token())))
                        .getTimeStampInfo().getSerialNumber());

        ObjectNode byId = JSON.createObjectNode().put("recordId", r.id());
        JsonNode v = verify(byId);
        assertEquals("valid", v.path("verdict").asText(), v.toPrettyString());

        // Anchored answers are cached: the ledger being away does not turn the record back into "accepted".
        chain.setUp(false);
        try {
            given().get("/v1/records/" + r.id()).then().statusCode(200).body("anchor.state", equalTo("anchored"));
        } finally {
            chain.setUp(true);
        }
    }

    @Test
    void aLedgerThatCannotAnswerIsARetriableProblemNotAFalseAccepted() {
        Registry.Stored r = registry.register("acme", "product.batch", Map.of("lot", "DOWN"), new Document(), Instant.now());
        chain.setUp(false);
        try {
            given().get("/v1/records/" + r.id()).then().statusCode(503)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://tracemark.dev/problems/chain-unavailable"))
                    .body("retriable", equalTo(true));
        } finally {
            chain.setUp(true);
        }
    }
}
