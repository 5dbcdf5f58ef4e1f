package io.tracemark.verify.chain;

import io.tracemark.contracts.ledger.LedgerKeys;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.note.Ed25519NoteSigner;
import io.tracemark.verify.fixtures.LoopbackChainNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Renewing the latest checkpoint holds up one caller, never all of them. */
class LatestCheckpointRenewalTest {
    private final Ed25519NoteSigner signer = LoopbackChainNode.signer("tracemark.local/chain-node-1");

    /** A ledger whose checkpoint reads can be held until released, counting them. */
    final class GatedLedger extends ChainNodeClient {
        final AtomicLong size = new AtomicLong(1);
        final AtomicInteger reads = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);
        final CountDownLatch entered = new CountDownLatch(1);

        GatedLedger() {
            super(List.of(URI.create("http://127.0.0.1:9")), Duration.ofSeconds(1), Duration.ofSeconds(1));
        }

        @Override
        public String checkpoint() {
            reads.incrementAndGet();
            try {
                if (gate.getCount() > 0) {
                    entered.countDown();
                    gate.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new String(SignedCheckpoints.sign(new Checkpoint(LoopbackChainNode.ORIGIN, size.get(), new byte[32]), signer),
                    StandardCharsets.UTF_8);
        }

        @Override
        public List<LedgerKeys> keysOfEveryReplica() {
            return List.of(new LedgerKeys(LoopbackChainNode.ORIGIN, List.of(signer.verifier().verifierKey()), null));
        }
    }

    @Test
    void whileOneCallerRenewsTheReadingTheOthersUseTheLastOneInsteadOfWaiting() throws Exception {
        GatedLedger ledger = new GatedLedger();
        TrustPolicy trust = new TrustPolicy(ledger, LoopbackChainNode.ORIGIN, Optional.empty(), Optional.empty(), 10,
                Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofHours(1));
        LatestCheckpoint latest = new LatestCheckpoint(ledger, trust, Duration.ofMillis(1));
        assertEquals(1, latest.treeSize());
        assertEquals(1, latest.verified(trust.current(), 0).size());

        ledger.size.set(2);
        ledger.gate = new CountDownLatch(1);
        Thread.sleep(5);
        int before = ledger.reads.get();
        ExecutorService callers = Executors.newFixedThreadPool(2);
        CompletableFuture<Long> renewing = CompletableFuture.supplyAsync(latest::treeSize, callers);
        ledger.entered.await(5, TimeUnit.SECONDS);
        // The first caller is still reading: this one answers at once from the last reading.
        assertEquals(1, CompletableFuture.supplyAsync(latest::treeSize, callers).get(2, TimeUnit.SECONDS));
        assertEquals(before + 1, ledger.reads.get(), "one read renews the checkpoint, not one per caller");

        ledger.gate.countDown();
        assertEquals(2, renewing.get(5, TimeUnit.SECONDS));
        assertEquals(2, latest.verified(trust.current(), 2).size());
        callers.shutdownNow();
    }
}
