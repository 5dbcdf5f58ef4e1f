package io.tracemark.chain;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.checkpoint.VerifiedCheckpoint;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteVerifier;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.tlogproof.TlogProofVerifier;
import io.tracemark.testsupport.SharedInfra;
import java.nio.charset.StandardCharsets;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import io.tracemark.contracts.blocks.BlockMessage;
import io.tracemark.contracts.blocks.BlockMessageCodec;
import io.tracemark.testsupport.KafkaTestClient;
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
        ChainReplica replica2 = ChainReplica.start(second, json);
        ChainReplica running = replica2;
        try (LeafProducer producer = new LeafProducer(SharedInfra.kafkaBootstrap(), second.leavesTopic())) {
            for (int i = 0; i < 6; i++) {
                producer.sendBatch(900 + i);
                Thread.sleep(150);
            }
            long total = producer.digests().size();
            NoteVerifier key1 = node.replica().signer().verifier();
            NoteVerifier key2 = replica2.signer().verifier();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                String n1 = new String(ChainNodeApi.checkpointNoteBytes(), StandardCharsets.UTF_8);
                return replica2.committed().treeSize() == total && ChainNodeApi.isSignedBy(n1, key2)
                        && ChainNodeApi.isSignedBy(replica2.checkpointNote(), key1)
                        && ChainNodeApi.checkpoint().size() == total;
            });
            byte[] servedBytes = ChainNodeApi.checkpointNoteBytes();
            Note served = Note.parse(servedBytes);
            Note other = Note.parse(replica2.checkpointNote().getBytes(StandardCharsets.UTF_8));
            assertEquals(served.text(), other.text(), "byte-identical checkpoint bodies");
            VerifiedCheckpoint both = SignedCheckpoints.verify(servedBytes, ChainNodeApi.ORIGIN, VerifierSet.of(key1, key2), 2);
            assertEquals(List.of(key1, key2), both.verifiedBy());
            assertEquals(2, served.signatures().size());
            byte[] file = given().queryParam("index", total - 1).get("/v1/proofs/tlog-proof").then().statusCode(200)
                    .extract().asByteArray();
            TlogProofVerifier.verifyLeafData(file, producer.digests().get((int) total - 1), ChainNodeApi.ORIGIN,
                    VerifierSet.of(key1, key2), 2);
            assertTrue(Metrics.value("tracemark_chain_cosignatures_merged_total") >= 1);

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
            assertEquals(List.of(key1.verifierKey(), key2.verifierKey()), ChainNodeApi.verifierKeyStrings());

            // A replica killed after making a block durable but before its producer sent the copy never published
            // it; on start it publishes its recent copies again, so the block still gets its signature downstream.
            running = null;
            replica2.close();
            try (KafkaTestClient kafka = new KafkaTestClient(SharedInfra.kafkaBootstrap())) {
                String name = key2.name();
                Map<Long, Long> before = copiesBy(kafka, second.blocksTopic(), name);
                running = ChainReplica.start(second, json);
                await().atMost(Duration.ofSeconds(30)).until(() -> copiesBy(kafka, second.blocksTopic(), name).values()
                        .stream().mapToLong(Long::longValue).sum() >= 2L * blocks);
                Map<Long, Long> after = copiesBy(kafka, second.blocksTopic(), name);
                for (long h = 0; h < blocks; h++) {
                    assertEquals(before.get(h) + 1, after.get(h), "copies of block " + h + " published by " + name);
                }
            }
        } finally {
            if (running != null) {
                running.close();
            }
        }
    }

    /** How many copies of each height {@code signer} has published on the blocks topic. */
    private static Map<Long, Long> copiesBy(KafkaTestClient kafka, String topic, String signer) {
        Map<Long, Long> copies = new TreeMap<>();
        for (var r : kafka.consumeAll(topic, Duration.ofSeconds(2))) {
            BlockMessage m = BlockMessageCodec.decode(r.value());
            if (signer.equals(m.signer())) {
                copies.merge(m.header().height(), 1L, Long::sum);
            }
        }
        return copies;
    }
}
