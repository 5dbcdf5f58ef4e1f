package io.tracemark.verify.anchoring;

import io.tracemark.edge.problem.ProblemException;
import io.tracemark.proofs.ledger.BlockHeader;
import io.tracemark.verify.chain.ChainNodeClient;
import io.tracemark.verify.chain.LatestCheckpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fan-out and caching of {@link AnchorLookup}, against a slow in-memory ledger and block store. */
class AnchorLookupTest {
    private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(8);

    @AfterEach
    void stop() {
        clock.shutdownNow();
    }

    /**
     * Answers leaf lookups after a delay, counting requests and the most in flight at once; a digest it does not hold
     * is absent from its tree of {@code size} leaves, as the chain node's signed statement says.
     */
    final class SlowLedger extends ChainNodeClient {
        final Map<String, Leaf> leaves = new ConcurrentHashMap<>();
        final Set<String> failing = ConcurrentHashMap.newKeySet();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        final AtomicLong size = new AtomicLong(100);
        volatile boolean statesAbsence = true;

        SlowLedger() {
            super(List.of(URI.create("http://127.0.0.1:9")), Duration.ofSeconds(1), Duration.ofSeconds(1));
        }

        @Override
        public Optional<Leaf> leaf(String digestHex) {
            return lookupAsync(digestHex).join().sealed();
        }

        @Override
        public CompletableFuture<LeafLookup> lookupAsync(String digestHex) {
            requests.incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            CompletableFuture<LeafLookup> f = new CompletableFuture<>();
            clock.schedule(() -> {
                inFlight.decrementAndGet();
                if (failing.contains(digestHex)) {
                    f.completeExceptionally(unavailable("down"));
                } else {
                    Leaf l = leaves.get(digestHex);
                    f.complete(new LeafLookup(l, l == null && statesAbsence ? size.get() : null));
                }
            }, 20, TimeUnit.MILLISECONDS);
            return f;
        }
    }

    /** The ledger's latest checkpoint as verify reads it: the ledger's size, or a failure while it is away. */
    static final class Latest extends LatestCheckpoint {
        final SlowLedger ledger;
        final AtomicInteger reads = new AtomicInteger();
        volatile boolean away;

        Latest(SlowLedger ledger) {
            super(null, null, Duration.ZERO);
            this.ledger = ledger;
        }

        @Override
        public long treeSize() {
            reads.incrementAndGet();
            if (away) {
                throw ChainNodeClient.unavailable("away");
            }
            return ledger.size.get();
        }
    }

    /** Blocks of one leaf each, at height = leaf index. */
    static final class Blocks extends SealedBlocks {
        final Map<Long, SealedBlock> written = new HashMap<>();

        Blocks() {
            super(null, "tracemark", "blocks");
        }

        void write(long height) {
            written.put(height, new SealedBlock(new BlockHeader(height, new byte[32], height, 1, height + 1, new byte[32],
                    1_000 * height), null, "note"));
        }

        @Override
        public Optional<SealedBlock> find(long height) {
            return Optional.ofNullable(written.get(height));
        }

        @Override
        public Map<Long, SealedBlock> find(Collection<Long> heights) {
            Map<Long, SealedBlock> out = new HashMap<>();
            heights.forEach(h -> find(h).ifPresent(b -> out.put(h, b)));
            return out;
        }
    }

    private static String digest(int i) {
        return String.format("%064x", i);
    }

    @Test
    void manyRecordsAreLookedUpConcurrentlyButNeverMoreThanTheBoundAtOnce() {
        SlowLedger ledger = new SlowLedger();
        Blocks blocks = new Blocks();
        List<String> digests = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            digests.add(digest(i));
            ledger.leaves.put(digest(i), new ChainNodeClient.Leaf(i, i));
            blocks.write(i);
        }
        AnchorLookup lookup = new AnchorLookup(ledger, blocks, new Latest(ledger), 4, 1000);
        Map<String, Anchoring> found = lookup.anchorings(digests);
        assertEquals(40, found.size());
        assertEquals(new Anchoring(7, 7, 8, java.time.Instant.ofEpochMilli(7_000)), found.get(digest(7)));
        assertTrue(ledger.maxInFlight.get() <= 4, "in flight at once: " + ledger.maxInFlight.get());
        assertTrue(ledger.maxInFlight.get() > 1, "lookups ran one after another");
    }

    @Test
    void anchoredAnswersAreCachedAndASealedLeafWaitingForItsBlockFactsIsNotAskedAgain() {
        SlowLedger ledger = new SlowLedger();
        Blocks blocks = new Blocks();
        ledger.leaves.put(digest(1), new ChainNodeClient.Leaf(1, 1));
        blocks.write(1);
        ledger.leaves.put(digest(2), new ChainNodeClient.Leaf(2, 2)); // sealed, but no block facts yet
        AnchorLookup lookup = new AnchorLookup(ledger, blocks, new Latest(ledger), 4, 1000);
        Map<String, Anchoring> first = lookup.anchorings(List.of(digest(1), digest(2)));
        assertEquals(Set.of(digest(1)), first.keySet());
        assertEquals(2, ledger.requests.get());

        assertEquals(Set.of(digest(1)), lookup.anchorings(List.of(digest(1), digest(2))).keySet());
        blocks.write(2);
        Map<String, Anchoring> second = lookup.anchorings(List.of(digest(1), digest(2)));
        assertEquals(Set.of(digest(1), digest(2)), second.keySet());
        assertEquals(new Anchoring(2, 2, 3, java.time.Instant.ofEpochMilli(2_000)), second.get(digest(2)));
        assertEquals(2, ledger.requests.get(), "the sealed leaf is kept; only its block's facts are read again");
        assertEquals(Optional.of(second.get(digest(2))), lookup.anchoring(digest(2)));
        assertEquals(2, ledger.requests.get());
    }

    @Test
    void aPendingRecordLookedUpTwiceAtTheSameTreeSizeCostsOneLedgerCall() {
        SlowLedger ledger = new SlowLedger();
        AnchorLookup lookup = new AnchorLookup(ledger, new Blocks(), new Latest(ledger), 4, 1000);
        assertEquals(Optional.empty(), lookup.anchoring(digest(9)));
        assertEquals(Optional.empty(), lookup.anchoring(digest(9)));
        assertEquals(Map.of(), lookup.anchorings(List.of(digest(9), digest(9).toUpperCase())));
        assertEquals(1, ledger.requests.get(), "the ledger said absent from 100 leaves, and the log still has 100");
    }

    @Test
    void aNewCheckpointMakesTheNextLookupAskAgainAndFindTheLeaf() {
        SlowLedger ledger = new SlowLedger();
        Blocks blocks = new Blocks();
        AnchorLookup lookup = new AnchorLookup(ledger, blocks, new Latest(ledger), 4, 1000);
        assertEquals(Optional.empty(), lookup.anchoring(digest(5)));
        assertEquals(1, ledger.requests.get());

        // Block 5 seals the record: the log grows to 101 leaves and the block's facts are written.
        ledger.leaves.put(digest(5), new ChainNodeClient.Leaf(5, 5));
        blocks.write(5);
        ledger.size.set(101);
        assertEquals(Optional.of(new Anchoring(5, 5, 6, java.time.Instant.ofEpochMilli(5_000))), lookup.anchoring(digest(5)));
        assertEquals(2, ledger.requests.get());
    }

    @Test
    void anAbsenceIsAskedAgainWhileTheLatestCheckpointCannotBeReadOrTheLedgerDidNotSayWhichTree() {
        SlowLedger ledger = new SlowLedger();
        Latest latest = new Latest(ledger);
        AnchorLookup lookup = new AnchorLookup(ledger, new Blocks(), latest, 4, 1000);
        lookup.anchoring(digest(6));
        latest.away = true;
        lookup.anchoring(digest(6));
        assertEquals(2, ledger.requests.get(), "the log's size is unknown, so the absence may be stale");

        latest.away = false;
        ledger.statesAbsence = false; // an older chain node: a bare 404
        lookup.anchoring(digest(7));
        lookup.anchoring(digest(7));
        assertEquals(4, ledger.requests.get());
    }

    @Test
    void anchoredAnswersNeedNeitherTheLedgerNorItsLatestCheckpoint() {
        SlowLedger ledger = new SlowLedger();
        Blocks blocks = new Blocks();
        ledger.leaves.put(digest(3), new ChainNodeClient.Leaf(3, 3));
        blocks.write(3);
        Latest latest = new Latest(ledger);
        AnchorLookup lookup = new AnchorLookup(ledger, blocks, latest, 4, 1000);
        Optional<Anchoring> first = lookup.anchoring(digest(3));
        ledger.failing.add(digest(3));
        latest.away = true;
        assertEquals(first, lookup.anchoring(digest(3)));
        assertEquals(1, ledger.requests.get());
        assertEquals(0, latest.reads.get());
    }

    @Test
    void theCacheIsBounded() {
        SlowLedger ledger = new SlowLedger();
        Blocks blocks = new Blocks();
        List<String> digests = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            digests.add(digest(i));
            ledger.leaves.put(digest(i), new ChainNodeClient.Leaf(i, i));
            blocks.write(i);
        }
        AnchorLookup lookup = new AnchorLookup(ledger, blocks, new Latest(ledger), 8, 10);
        lookup.anchorings(digests);
        lookup.anchorings(digests);
        assertTrue(ledger.requests.get() >= 30 + 20, "requests: " + ledger.requests.get());
    }

    @Test
    void aLeafOutsideTheNamedBlockIsNotAnchored() {
        SlowLedger ledger = new SlowLedger();
        Blocks blocks = new Blocks();
        ledger.leaves.put(digest(5), new ChainNodeClient.Leaf(5, 4));
        blocks.write(4);
        assertEquals(Optional.empty(), new AnchorLookup(ledger, blocks, new Latest(ledger), 4, 10).anchoring(digest(5)));
    }

    @Test
    void aFailingLedgerIsAProblemNotANotYet() {
        SlowLedger ledger = new SlowLedger();
        List<String> digests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            digests.add(digest(i));
        }
        ledger.failing.add(digest(3));
        ProblemException e = assertThrows(ProblemException.class,
                () -> new AnchorLookup(ledger, new Blocks(), new Latest(ledger), 4, 10).anchorings(digests));
        assertEquals(503, e.problem().status());
    }
}
