package io.tracemark.chain;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.chain.checkpoint.NoteVerifier;
import io.tracemark.chain.checkpoint.SignedNote;
import io.tracemark.testsupport.SharedInfra;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two replicas on the same topics: the application under test and a second replica in the same JVM. */
@QuarkusTest
@QuarkusTestResource(value = ChainTestInfra.class, restrictToAnnotatedClass = true)
class CosigningTest {
    @Inject
    ChainNode node;
    @Inject
    ObjectMapper json;

    @Test
    void replicasBuildIdenticalBlocksAndServeCheckpointsCarryingBothSignatures() throws Exception {
        ReplicaSettings second = node.settings().asReplica(ChainTestInfra.tempDir("chain-node-2-"),
                "tracemark.local/chain-node-2");
        try (ChainReplica replica2 = ChainReplica.start(second, json);
                LeafProducer producer = new LeafProducer(SharedInfra.kafkaBootstrap(), second.leavesTopic())) {
            for (int i = 0; i < 6; i++) {
                producer.sendBatch(900 + i);
                Thread.sleep(150);
            }
            long total = producer.digests().size();
            NoteVerifier key1 = node.replica().signer().verifier();
            NoteVerifier key2 = replica2.signer().verifier();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                SignedNote n1 = ChainNodeApi.checkpointNote();
                SignedNote n2 = SignedNote.parse(replica2.checkpointNote());
                return replica2.committed().treeSize() == total && n1.isSignedBy(key2) && n2.isSignedBy(key1)
                        && ChainNodeApi.checkpoint().size() == total;
            });
            SignedNote served = ChainNodeApi.checkpointNote();
            SignedNote other = SignedNote.parse(replica2.checkpointNote());
            assertEquals(served.text(), other.text(), "byte-identical checkpoint bodies");
            assertTrue(served.isSignedBy(key1) && served.isSignedBy(key2));
            assertEquals(2, served.signatures().size());

            long blocks = node.replica().committed().blocks();
            assertEquals(blocks, replica2.committed().blocks());
            assertTrue(blocks > 1, "markers cut several blocks");
            for (long h = 0; h < blocks; h++) {
                var b1 = node.replica().block(h).orElseThrow();
                var b2 = replica2.block(h).orElseThrow();
                assertEquals(b1.header(), b2.header());
                assertEquals(b1.blockHash(), b2.blockHash());
                assertEquals(b1.batches(), b2.batches());
                assertEquals(b1.leavesToOffset(), b2.leavesToOffset());
            }
            List<String> keys = given().get("/v1/keys").then().statusCode(200).extract().jsonPath().getList("verifierKeys");
            assertEquals(List.of(key1.encode(), key2.encode()), keys);
        }
    }
}
