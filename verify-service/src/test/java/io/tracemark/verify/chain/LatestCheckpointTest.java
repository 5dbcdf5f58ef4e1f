package io.tracemark.verify.chain;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.verify.fixtures.LoopbackChainNode;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The latest checkpoint is remembered, but never older than a receipt asks for; its proofs outlive the ledger. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class LatestCheckpointTest {
    @Inject
    ChainNodeClient client;
    @Inject
    TrustPolicy trust;

    private final LoopbackChainNode chain = LoopbackChainNode.shared();

    @Test
    void aReceiptNewerThanTheRememberedCheckpointMakesItReadAgainAtOnce() {
        chain.append("0a".repeat(32));
        chain.seal();
        LatestCheckpoint latest = new LatestCheckpoint(client, trust, Duration.ofHours(1));
        long before = latest.verified(trust.current(), 0).size();
        chain.append("0b".repeat(32));
        chain.seal();
        assertEquals(before, latest.verified(trust.current(), before).size(), "within the TTL the reading is kept");
        assertEquals(chain.size(), latest.verified(trust.current(), chain.size()).size(), "a newer receipt forces a read");
    }

    @Test
    void consistencyProofsToTheRememberedCheckpointAreKeptWhileTheLedgerIsAway() {
        chain.append("0c".repeat(32));
        chain.seal();
        LatestCheckpoint latest = new LatestCheckpoint(client, trust, Duration.ofHours(1));
        long size = latest.verified(trust.current(), 0).size();
        List<byte[]> proof = latest.consistencyProof(1, size);
        chain.setUp(false);
        try {
            List<byte[]> again = latest.consistencyProof(1, size);
            assertEquals(proof.size(), again.size());
            for (int i = 0; i < proof.size(); i++) {
                assertArrayEquals(proof.get(i), again.get(i));
            }
            assertEquals(chain.latestCheckpoint(), latest.note());
        } finally {
            chain.setUp(true);
        }
    }
}
