package io.tracemark.chain.log;

import io.tracemark.chain.tiles.TileStore;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps the {@link LeafIndex} recoverable after an OS crash: every interval its tables are forced
 * and the committed size they cover recorded, and on open every committed leaf above that
 * watermark is re-indexed from the entries. The interval bounds the re-indexing work at start-up;
 * it matches the kernel's own write-back age, so forcing costs about what write-back costs anyway.
 */
final class LeafIndexSync implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LeafIndexSync.class);
    static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final int CHUNK = 4096;

    private final LeafIndex index;
    private final ScheduledExecutorService timer;
    private volatile long committed;
    private long marked;

    /** Starts syncing {@code index}, whose tables hold every leaf below {@code committedSize}. */
    LeafIndexSync(LeafIndex index, long committedSize) {
        this.index = index;
        this.committed = committedSize;
        this.marked = committedSize;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chain-index-sync");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sync, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Re-indexes leaves from the index's durable watermark up to {@code treeSize}, reading them from
     * {@code tiles}, and records the new watermark; returns how many leaves were re-indexed.
     */
    static long catchUp(LeafIndex index, TileStore tiles, long treeSize) {
        long from = Math.min(index.durableSize(), treeSize);
        if (from == treeSize) {
            return 0;
        }
        LOG.infof("leaf index covers %d of %d committed leaves; re-indexing the rest from the entries", from, treeSize);
        byte[] hash = new byte[Rfc9162Hasher.HASH_SIZE];
        for (long first = from; first < treeSize; first += CHUNK) {
            int n = (int) Math.min(CHUNK, treeSize - first);
            byte[] hashes = tiles.readLevel(0, first, n);
            for (int i = 0; i < n; i++) {
                System.arraycopy(hashes, i * hash.length, hash, 0, hash.length);
                index.put(hash, first + i);
            }
        }
        index.markDurable(treeSize);
        return treeSize - from;
    }

    /** Records that every leaf below {@code size} is committed (and so was put into the index). */
    void committed(long size) {
        committed = size;
    }

    private synchronized void sync() {
        long size = committed;
        if (size == marked) {
            return;
        }
        try {
            index.markDurable(size);
            marked = size;
        } catch (RuntimeException e) {
            // The index is a cache over the entries: a failed sync only means more re-indexing on the next start.
            LOG.warnf(e, "could not sync the leaf index");
        }
    }

    /** Stops the timer and records the final committed size. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sync();
    }
}
