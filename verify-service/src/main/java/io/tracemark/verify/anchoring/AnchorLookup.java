package io.tracemark.verify.anchoring;

import io.tracemark.edge.problem.ProblemException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tracemark.verify.chain.ChainNodeClient;
import io.tracemark.verify.chain.LatestCheckpoint;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
import java.util.regex.Pattern;

/**
 * Derives a record's anchoring from facts that are written once per block, never per record: the chain
 * node's leaf index says which sealed block included the record digest, and attest's per-block facts
 * ({@code blocks}) give that block's tree size, time and checkpoint. A record is anchored when both
 * exist.
 *
 * <p>Nothing the ledger said is asked twice while it still holds: anchored answers and sealed leaves never
 * change, so they are kept (bounded); a digest the ledger said is absent from its tree of N leaves stays absent
 * while the latest checkpoint still has N leaves (every leaf of a checkpoint is in a sealed block), so that
 * answer is kept until the log grows. A record still pending costs no ledger call per lookup, only one per
 * new checkpoint. All three caches are lock-free to read.
 */
@ApplicationScoped
public class AnchorLookup {
    private static final Logger LOG = Logger.getLogger(AnchorLookup.class);
    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

    private final ChainNodeClient chain;
    private final SealedBlocks blocks;
    private final LatestCheckpoint latest;
    private final int concurrency;
    private final Cache<String, Anchoring> anchored;
    /** Sealed on the ledger, but attest had not written the block's facts when asked. */
    private final Cache<String, ChainNodeClient.Leaf> sealed;
    /** The tree size the ledger said the digest is absent from. */
    private final Cache<String, Long> absent;

    public AnchorLookup(ChainNodeClient chain, SealedBlocks blocks, LatestCheckpoint latest,
                        @ConfigProperty(name = "tracemark.verify.anchors.lookup-concurrency") int concurrency,
                        @ConfigProperty(name = "tracemark.verify.anchors.cache-size") int cacheSize) {
        this.chain = chain;
        this.blocks = blocks;
        this.latest = latest;
        this.concurrency = Math.max(1, concurrency);
        this.anchored = bounded(cacheSize);
        this.sealed = bounded(cacheSize);
        this.absent = bounded(cacheSize);
    }

    private static <V> Cache<String, V> bounded(int size) {
        // Evicted on the caller's thread: the bound holds when a lookup returns.
        return Caffeine.newBuilder().maximumSize(Math.max(1, size)).executor(Runnable::run).build();
    }

    /** The anchoring of a record digest (hex), empty while it is in no sealed block whose facts are written. */
    public Optional<Anchoring> anchoring(String digestHex) {
        return Optional.ofNullable(anchorings(List.of(digestHex)).get(digestHex));
    }

    /**
     * The anchorings of many record digests, keyed by the digests as given; those not anchored yet are
     * absent. Digests the ledger has not answered for the current tree are looked up on the chain node
     * concurrently, at most {@code tracemark.verify.anchors.lookup-concurrency} at a time, then the blocks of
     * the sealed ones in one query.
     */
    public Map<String, Anchoring> anchorings(Collection<String> digestsHex) {
        Map<String, Anchoring> out = new HashMap<>();
        Map<String, ChainNodeClient.Leaf> leaves = new HashMap<>();
        List<String> ask = new ArrayList<>();
        long treeSize = UNKNOWN;
        for (String given : new LinkedHashSet<>(digestsHex)) {
            String d = normalized(given);
            if (d == null) {
                continue;
            }
            Anchoring hit = anchored.getIfPresent(d);
            if (hit != null) {
                out.put(given, hit);
                continue;
            }
            ChainNodeClient.Leaf leaf = sealed.getIfPresent(d);
            if (leaf != null) {
                leaves.put(given, leaf);
                continue;
            }
            Long absentFrom = absent.getIfPresent(d);
            if (absentFrom != null) {
                if (treeSize == UNKNOWN) {
                    treeSize = latestTreeSize();
                }
                if (absentFrom == treeSize) {
                    continue; // Still absent: the log has not grown since the ledger said so.
                }
            }
            ask.add(given);
        }
        if (!ask.isEmpty()) {
            lookups(ask).forEach((given, lookup) -> {
                String d = normalized(given);
                if (lookup.leaf() != null) {
                    absent.invalidate(d);
                    sealed.put(d, lookup.leaf());
                    leaves.put(given, lookup.leaf());
                } else if (lookup.absentFromSize() != null) {
                    absent.put(d, lookup.absentFromSize());
                } else {
                    absent.invalidate(d);
                }
            });
        }
        if (leaves.isEmpty()) {
            return out;
        }
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
            String d = normalized(given);
            anchored.put(d, a);
            sealed.invalidate(d);
            out.put(given, a);
        });
        return out;
    }

    private static final long UNKNOWN = Long.MIN_VALUE;

    /** The latest checkpoint's size, or -1 when the ledger cannot say (then every absence is asked again). */
    private long latestTreeSize() {
        try {
            return latest.treeSize();
        } catch (ProblemException e) {
            return -1;
        }
    }

    /** The ledger's answers for these digests, with a bounded number of requests in flight. */
    private Map<String, ChainNodeClient.LeafLookup> lookups(List<String> digests) {
        Map<String, ChainNodeClient.LeafLookup> out = new ConcurrentHashMap<>();
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
                inFlight.add(chain.lookupAsync(normalized(given))
                        .whenComplete((lookup, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                            window.release();
                        })
                        .thenAccept(lookup -> out.put(given, lookup)));
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
        return digestHex != null && HEX64.matcher(digestHex).matches() ? digestHex.toLowerCase(Locale.ROOT) : null;
    }
}
