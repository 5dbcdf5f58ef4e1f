package io.tracemark.verify.anchoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.edge.problem.ProblemException;
import io.tracemark.proofs.ledger.BlockHeader;
import io.tracemark.verify.chain.ChainNodeClient;
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

    /** Answers leaf lookups after a delay, counting requests and the most in flight at once. */
    final class SlowLedger extends ChainNodeClient {
        final Map<String, Leaf> leaves = new ConcurrentHashMap<>();
        final Set<String> failing = ConcurrentHashMap.newKeySet();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();

        SlowLedger() {
            super(List.of(URI.create("http://127.0.0.1:9")), Duration.ofSeconds(1), Duration.ofSeconds(1), new ObjectMapper());
        }

        @Override
        public Optional<Leaf> leaf(String digestHex) {
            return leafAsync(digestHex).join();
        }

        @Override
        public CompletableFuture<Optional<Leaf>> leafAsync(String digestHex) {
            requests.incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            CompletableFuture<Optional<Leaf>> f = new CompletableFuture<>();
            clock.schedule(() -> {
                inFlight.decrementAndGet();
                if (failing.contains(digestHex)) {
                    f.completeExceptionally(unavailable("down"));
                } else {
                    f.complete(Optional.ofNullable(leaves.get(digestHex)));
                }
            }, 20, TimeUnit.MILLISECONDS);
            return f;
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
        AnchorLookup lookup = new AnchorLookup(ledger, blocks, 4, 1000);
        Map<String, Anchoring> found = lookup.anchorings(digests);
        assertEquals(40, found.size());
        assertEquals(new Anchoring(7, 7, 8, java.time.Instant.ofEpochMilli(7_000)), found.get(digest(7)));
        assertTrue(ledger.maxInFlight.get() <= 4, "in flight at once: " + ledger.maxInFlight.get());
        assertTrue(ledger.maxInFlight.get() > 1, "lookups ran one after another");
    }

    @Test
    void anchoredAnswersAreCachedAndNotYetIsAskedAgain() {
        SlowLedger ledger = new SlowLedger();
        Blocks blocks = new Blocks();
        ledger.leaves.put(digest(1), new ChainNodeClient.Leaf(1, 1));
        blocks.write(1);
        ledger.leaves.put(digest(2), new ChainNodeClient.Leaf(2, 2)); // sealed, but no block facts yet
        AnchorLookup lookup = new AnchorLookup(ledger, blocks, 4, 1000);
        Map<String, Anchoring> first = lookup.anchorings(List.of(digest(1), digest(2), digest(3)));
        assertEquals(Set.of(digest(1)), first.keySet());
        assertEquals(3, ledger.requests.get());

        blocks.write(2);
        Map<String, Anchoring> second = lookup.anchorings(List.of(digest(1), digest(2), digest(3)));
        assertEquals(Set.of(digest(1), digest(2)), second.keySet());
        assertEquals(5, ledger.requests.get(), "only the two not anchored before are asked again");
        assertEquals(Optional.of(second.get(digest(2))), lookup.anchoring(digest(2)));
        assertEquals(5, ledger.requests.get());
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
        AnchorLookup lookup = new AnchorLookup(ledger, blocks, 8, 10);
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
        assertEquals(Optional.empty(), new AnchorLookup(ledger, blocks, 4, 10).anchoring(digest(5)));
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
                () -> new AnchorLookup(ledger, new Blocks(), 4, 10).anchorings(digests));
        assertEquals(503, e.problem().status());
    }
}
