package io.tracemark.verify.anchoring;

import io.tracemark.edge.problem.ProblemException;
import io.tracemark.verify.chain.ChainNodeClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Derives a record's anchoring from facts that are written once per block, never per record: the chain
 * node's leaf index says which sealed block included the record digest, and attest's per-block facts
 * ({@code blocks}) give that block's tree size, time and checkpoint. A record is anchored when both
 * exist. Anchored answers never change, so they are kept in a bounded cache; "not yet" is always asked
 * again.
 */
@ApplicationScoped
public class AnchorLookup {
    private static final Logger LOG = Logger.getLogger(AnchorLookup.class);

    private final ChainNodeClient chain;
    private final SealedBlocks blocks;
    private final int concurrency;
    private final Map<String, Anchoring> anchored;

    public AnchorLookup(ChainNodeClient chain, SealedBlocks blocks,
                        @ConfigProperty(name = "tracemark.verify.anchors.lookup-concurrency") int concurrency,
                        @ConfigProperty(name = "tracemark.verify.anchors.cache-size") int cacheSize) {
        this.chain = chain;
        this.blocks = blocks;
        this.concurrency = Math.max(1, concurrency);
        this.anchored = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Anchoring> eldest) {
                return size() > cacheSize;
            }
        });
    }

    /** The anchoring of a record digest (hex), empty while it is in no sealed block whose facts are written. */
    public Optional<Anchoring> anchoring(String digestHex) {
        return Optional.ofNullable(anchorings(List.of(digestHex)).get(digestHex));
    }

    /**
     * The anchorings of many record digests, keyed by the digests as given; those not anchored yet are
     * absent. Uncached digests are looked up on the chain node concurrently, at most
     * {@code tracemark.verify.anchors.lookup-concurrency} at a time, then their blocks in one query.
     */
    public Map<String, Anchoring> anchorings(Collection<String> digestsHex) {
        Map<String, Anchoring> out = new HashMap<>();
        List<String> misses = new ArrayList<>();
        for (String given : new LinkedHashSet<>(digestsHex)) {
            String d = normalized(given);
            Anchoring hit = d == null ? null : anchored.get(d);
            if (hit != null) {
                out.put(given, hit);
            } else if (d != null) {
                misses.add(given);
            }
        }
        if (misses.isEmpty()) {
            return out;
        }
        Map<String, ChainNodeClient.Leaf> leaves = leaves(misses);
        Map<Long, SealedBlock> facts = blocks.find(leaves.values().stream().map(ChainNodeClient.Leaf::blockHeight)
                .distinct().toList());
        leaves.forEach((given, leaf) -> {
            SealedBlock block = facts.get(leaf.blockHeight());
            if (block == null) {
                return; // Sealed on the ledger, but attest has not written the block's facts yet.
            }
            if (!block.contains(leaf.index())) {
                LOG.warnf("chain node puts leaf %d in block %d, whose facts cover leaves %d..%d; not anchored",
                        leaf.index(), block.height(), block.header().firstLeafIndex(), block.header().treeSize() - 1);
                return;
            }
            Anchoring a = new Anchoring(leaf.index(), block.height(), block.header().treeSize(),
                    Instant.ofEpochMilli(block.header().timeMillis()));
            anchored.put(normalized(given), a);
            out.put(given, a);
        });
        return out;
    }

    /** The chain node's sealed leaves of these digests, with a bounded number of requests in flight. */
    private Map<String, ChainNodeClient.Leaf> leaves(List<String> digests) {
        Map<String, ChainNodeClient.Leaf> out = new ConcurrentHashMap<>();
        if (digests.size() == 1) {
            chain.leaf(normalized(digests.get(0))).ifPresent(l -> out.put(digests.get(0), l));
            return out;
        }
        Semaphore window = new Semaphore(concurrency);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<CompletableFuture<Void>> inFlight = new ArrayList<>(digests.size());
        try {
            for (String given : digests) {
                window.acquire();
                if (failure.get() != null) {
                    window.release();
                    break; // The ledger is failing: asking it about the rest would only add load.
                }
                inFlight.add(chain.leafAsync(normalized(given))
                        .whenComplete((leaf, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                            window.release();
                        })
                        .thenAccept(leaf -> leaf.ifPresent(l -> out.put(given, l))));
            }
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ChainNodeClient.unavailable("interrupted");
        } catch (CompletionException e) {
            throw e.getCause() instanceof ProblemException p ? p : ChainNodeClient.unavailable("chain node unreachable");
        }
        return out;
    }

    /** Lower-case hex of a 32-byte digest, or null for anything else (no leaf can have it). */
    private static String normalized(String digestHex) {
        return digestHex != null && digestHex.matches("[0-9a-fA-F]{64}") ? digestHex.toLowerCase(Locale.ROOT) : null;
    }
}
