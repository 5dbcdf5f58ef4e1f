package io.tracemark.ingest.anchor;

import com.mongodb.client.MongoClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.tracemark.contracts.blocks.BlockFacts;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;

/** Record status is derived from the chain node's leaf lookup and the per-block facts, never stored. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(FakeChainNode.class)
class RecordStatusAnchoredTest {
    private static final String CHECKPOINT = "tracemark.local/log\n9\nq83vEjRHc+ArCZ5kUNmcjjRhTWa1uSJtOo9JVWCydSk=\n\n— tracemark.local/chain-node-1 AAAA\n";
    @Inject
    ApiKeyStore keys;
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;
    String apiKey;

    @BeforeEach
    void tenant() {
        apiKey = keys.issue("status-" + UUID.randomUUID().toString().substring(0, 8), EnumSet.of(Role.READ, Role.WRITE)).apiKey();
        FakeChainNode.up();
    }

    /** Registers a batch; returns {id, digest, idempotency key}. */
    private String[] register() {
        String key = UUID.randomUUID().toString();
        var r = given().header("Authorization", "Bearer " + apiKey).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"gtin\":\"4006381333931\",\"lot\":\"S-" + key.substring(0, 8) + "\"}")
                .post("/v1/products/batches").then().statusCode(201).extract();
        return new String[] {r.path("id"), r.path("digest"), key};
    }

    private ValidatableResponse status(String id) {
        return given().header("Authorization", "Bearer " + apiKey).get("/v1/records/" + id).then().statusCode(200);
    }

    private void blockFacts(long height, long firstLeafIndex, long leafCount, long timeMillis) {
        mongo.getDatabase(database).getCollection(BlockFacts.COLLECTION).insertOne(new Document(BlockFacts.HEIGHT, height)
                .append(BlockFacts.PREVIOUS_HASH, "11".repeat(32)).append(BlockFacts.FIRST_LEAF_INDEX, firstLeafIndex)
                .append(BlockFacts.LEAF_COUNT, leafCount).append(BlockFacts.TREE_SIZE, firstLeafIndex + leafCount)
                .append(BlockFacts.ROOT, "22".repeat(32)).append(BlockFacts.TIME_MILLIS, timeMillis)
                .append(BlockFacts.HASH, "33".repeat(32)).append(BlockFacts.CHECKPOINT, CHECKPOINT));
    }

    @Test
    void leafInASealedBlockWithFactsIsAnchored() {
        String[] rec = register();
        long height = 1_000 + (System.nanoTime() & 0xffff);
        FakeChainNode.leaf(rec[1], 7, height);
        blockFacts(height, 5, 4, 1_767_225_600_123L);
        status(rec[0]).body("status", equalTo("anchored")).body("statusSource", equalTo("ledger"))
                .body("anchoring.leafIndex", equalTo(7)).body("anchoring.blockHeight", equalTo((int) height))
                .body("anchoring.treeSize", equalTo(9)).body("anchoring.blockHash", equalTo("33".repeat(32)))
                .body("anchoring.anchoredAt", equalTo("2026-01-01T00:00:00.123Z"))
                .body("anchoring.checkpoint", equalTo(CHECKPOINT));
        given().header("Authorization", "Bearer " + apiKey).queryParam("idempotencyKey", rec[2]).get("/v1/records")
                .then().statusCode(200).body("id", equalTo(rec[0])).body("status", equalTo("anchored"))
                .body("anchoring.leafIndex", equalTo(7));
    }

    @Test
    void leafNotSealedYetIsAccepted() {
        String[] rec = register();
        status(rec[0]).body("status", equalTo("accepted")).body("statusSource", equalTo("ledger"))
                .body("anchoring", nullValue());
    }

    @Test
    void sealedLeafWhoseBlockFactsAreNotRecordedYetIsAccepted() {
        String[] rec = register();
        FakeChainNode.leaf(rec[1], 3, 999_999_999L);
        status(rec[0]).body("status", equalTo("accepted")).body("statusSource", equalTo("ledger"))
                .body("anchoring", nullValue());
    }

    @Test
    void blockFactsThatDoNotHoldTheLeafDoNotAnchorIt() {
        String[] rec = register();
        long height = 100_000 + (System.nanoTime() & 0xffff);
        FakeChainNode.leaf(rec[1], 50, height);
        blockFacts(height, 5, 4, 1_767_225_600_000L);
        status(rec[0]).body("status", equalTo("accepted")).body("anchoring", nullValue());
    }

    @Test
    void chainNodeWithoutBlockHeightsAnswersFromTheStore() {
        String[] rec = register();
        FakeChainNode.leafWithoutHeight(rec[1], 4);
        status(rec[0]).body("status", equalTo("accepted")).body("statusSource", equalTo("store-only"))
                .body("anchoring", nullValue());
    }

    @Test
    void anchoredStatusIsReadFromTheOtherReplicaWhileEitherIsDown() {
        String[] rec = register();
        long height = 200_000 + (System.nanoTime() & 0xffff);
        FakeChainNode.leaf(rec[1], 6, height);
        blockFacts(height, 5, 4, 1_767_225_600_000L);
        for (int down = 0; down < 2; down++) {
            FakeChainNode.down(down);
            try {
                status(rec[0]).body("status", equalTo("anchored")).body("statusSource", equalTo("ledger"))
                        .body("anchoring.leafIndex", equalTo(6));
            } finally {
                FakeChainNode.up();
            }
        }
    }

    @Test
    void unreachableChainNodeAnswersTheStoredStatus() {
        String[] rec = register();
        FakeChainNode.leaf(rec[1], 7, 1);
        FakeChainNode.down();
        try {
            status(rec[0]).body("status", equalTo("accepted")).body("statusSource", equalTo("store-only"))
                    .body("$", hasKey("anchoring")).body("anchoring", nullValue());
        } finally {
            FakeChainNode.up();
        }
    }
}
