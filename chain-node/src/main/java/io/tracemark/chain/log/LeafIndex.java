package io.tracemark.chain.log;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.LongFunction;
import org.jboss.logging.Logger;

/**
 * Leaf hash → leaf index lookup, kept off the heap in memory-mapped open-addressing tables.
 *
 * <p>LeafTable g holds leaves [start(g), start(g) + capacity(g)) with capacities 2^20, 2^20, 2^21,
 * 2^22, … so no table is ever rehashed. A slot is 8 bytes: a 32-bit fingerprint of the leaf hash and
 * the leaf's offset in the generation. The tables are a cache over the entries file: every hit is
 * confirmed against the stored digest and bounded by the committed size, so entries left over from
 * uncommitted work (a crash) are harmless and are overwritten when their leaf index is re-applied.
 *
 * <p>The tables are not fsync'd with every block (random inserts dirty every page, so that would
 * rewrite them whole each time). Instead {@link #markDurable} forces them now and then and records
 * the size they cover, and leaves committed after that are re-indexed on open ({@link LeafIndexSync}).
 * Re-putting a leaf never empties a slot, so probe chains of leaves below the watermark stay intact.
 *
 * <p>The apply loop appends each leaf hash once ({@link LogEngine}), so it asks about every new leaf
 * whether the tree holds it already ({@link #findOrPut}). Reading one table per generation for that
 * would cost a cache and TLB miss each (measured: the apply rate halved at 20 M leaves), so the
 * completed generations are summarised by a {@link FingerprintFilter}, rebuilt off the apply thread
 * whenever a generation completes, and the generation being written is checked in the same probe
 * walk that inserts. The filter only decides where to look; answers are always confirmed against
 * the stored leaves, so they are exact and identical on every replica.
 */
public final class LeafIndex implements Closeable {
    private static final Logger LOG = Logger.getLogger(LeafIndex.class);
    private static final int FIRST_BITS = 20;
    private static final String WATERMARK = "durable-size";

    private final Path dir;
    private final List<LeafTable> generations = new ArrayList<>();
    private LeafTable writing;
    private int writingGeneration = -1;
    private LeafTable[] applyGenerations = new LeafTable[8];
    /** Fingerprints of generations [0, filtered) for {@link #findOrPut}; none while filtered is 0. */
    private FingerprintFilter filter;
    private int filtered;
    /** A filter being built for generations [0, buildingFor), or null. */
    private FutureTask<FingerprintFilter> building;
    private int buildingFor;
    private Thread buildThread;
    /** A rebuild for this many generations failed; not retried before the next generation. */
    private int failedFor = -1;
    /** The newest generation whose table a background thread was asked to fault in ({@link LeafTable#prefault}). */
    private int prefaulted = -1;
    private volatile Thread prefaultThread;
    /** Keeps the JIT from dropping the loads of {@link #prefetch} as dead code. */
    @SuppressWarnings("unused")
    private long prefetchSink;

    /** Opens (creating if needed) the tables in {@code dir}. */
    public LeafIndex(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records that {@code leafHash} (32 bytes) is leaf {@code leaf}; leaves arrive in ascending order. */
    public void put(byte[] leafHash, long leaf) {
        int gi = generationOf(leaf);
        if (gi < filtered || (building != null && gi < buildingFor)) {
            // A filter must hold every fingerprint of the generations it covers: start over.
            dropFilter();
        }
        if (gi != writingGeneration) {
            writing = generation(gi, true);
            writingGeneration = gi;
        }
        LeafTable g = writing;
        long rel = leaf - g.start + 1;
        int fp = fingerprint(leafHash);
        long slot = slotOf(leafHash) & (g.slots - 1);
        while (true) {
            long v = g.get(slot);
            long existing = v & 0xffffffffL;
            if (v == 0 || existing >= rel) {
                // Empty, or left over from a run whose later leaves were never committed.
                g.put(slot, ((long) fp << 32) | rel);
                return;
            }
            slot = (slot + 1) & (g.slots - 1);
        }
    }

    /**
     * The apply loop's deduplicating insert: if a leaf among the first {@code leaf} leaves has
     * {@code leafHash}, returns its index and changes nothing; otherwise records {@code leafHash} as
     * leaf {@code leaf} (the next leaf, as for {@link #put}) and returns -1. {@code leafHashAt} confirms
     * candidates, so the answer is exact and the same on every replica, whatever stale slots a crash
     * left. Apply thread only, after the {@link #put}s of recovery.
     *
     * <p>Cost: completed generations are read only when the {@link FingerprintFilter} over them says
     * "maybe" (about 1 % of new leaves, plus the true duplicates), and the table being written is
     * probed in the same walk that inserts, so a new leaf costs about what {@link #put} does.
     */
    public long findOrPut(byte[] leafHash, long leaf, LongFunction<byte[]> leafHashAt) {
        int current = generationOf(leaf);
        if (filtered != current) {
            maintainFilter(current);
        }
        int fp = fingerprint(leafHash);
        long home = slotOf(leafHash);
        if (filtered > 0 && filter.mightContain(fp)) {
            for (int gi = 0; gi < filtered; gi++) {
                long found = probe(applyGeneration(gi), home, fp, leafHash, leaf, leafHashAt);
                if (found >= 0) {
                    return found;
                }
            }
        }
        // Completed generations the filter does not cover yet (while a rebuild runs) are read directly.
        for (int gi = filtered; gi < current; gi++) {
            long found = probe(applyGeneration(gi), home, fp, leafHash, leaf, leafHashAt);
            if (found >= 0) {
                return found;
            }
        }
        LeafTable g = applyGeneration(current);
        long rel = leaf - g.start + 1;
        long slot = home & (g.slots - 1);
        long insertAt = -1;
        for (long probes = 0; probes < g.slots; probes++) {
            long v = g.get(slot);
            if (v == 0) {
                break;
            }
            long existing = v & 0xffffffffL;
            if (existing >= rel) {
                // Left over from a run whose later leaves were never committed: reusable, never a match.
                if (insertAt < 0) {
                    insertAt = slot;
                }
            } else if ((int) (v >>> 32) == fp && Arrays.equals(leafHashAt.apply(g.start + existing - 1), leafHash)) {
                return g.start + existing - 1;
            }
            slot = (slot + 1) & (g.slots - 1);
        }
        g.put(insertAt >= 0 ? insertAt : slot, ((long) fp << 32) | rel);
        return -1;
    }

    /**
     * Loads, for each of {@code n} leaf hashes (32 bytes each, back to back in {@code leafHashes}),
     * the words {@link #findOrPut} will read first for leaves from {@code firstLeaf} on: the filter
     * word and the home slot in each table it reads directly. These loads do not depend on each other,
     * so the CPU overlaps their cache and TLB misses instead of taking them one at a time in the exact
     * walks that follow (which then mostly hit cache). Apply thread only; changes nothing.
     */
    public void prefetch(byte[] leafHashes, int n, long firstLeaf) {
        int current = generationOf(firstLeaf + n - 1);
        if (prefaulted <= current && firstLeaf - start(current) >= capacity(current) / 2) {
            prefaultNext(current + 1);
        }
        if (generationOf(firstLeaf) != current) {
            return;
        }
        if (filtered != current) {
            maintainFilter(current);
        }
        long sink = 0;
        if (filtered > 0) {
            FingerprintFilter f = filter;
            for (int i = 0; i < n; i++) {
                sink += f.wordOf(fingerprint(leafHashes, i * 32));
            }
        }
        for (int gi = filtered; gi <= current; gi++) {
            LeafTable g = applyGeneration(gi);
            long mask = g.slots - 1;
            for (int i = 0; i < n; i++) {
                sink += g.get(slotOf(leafHashes, i * 32) & mask);
            }
        }
        prefetchSink = sink;
    }

    /**
     * Once the writing generation is half full, creates the next one's table and faults its pages in on a background
     * thread, so that the apply loop finds them mapped when it gets there (the sizes double, so the next table is
     * as large as every earlier one together).
     */
    private void prefaultNext(int next) {
        prefaulted = next;
        Thread t = new Thread(() -> generation(next, true).prefault(), "chain-leaf-index-prefault");
        t.setDaemon(true);
        prefaultThread = t;
        t.start();
    }

    /**
     * Moves the filter towards covering every completed generation, [0, current): adopts a finished
     * rebuild, or starts one on a background thread. Those tables no longer change (the writer only
     * fills the newest), and sizes double, so rebuilding reads about one table slot per leaf over the
     * life of the log, off the apply thread. Until it is done the apply loop reads the newly completed
     * tables directly: slower for a while, the same answers.
     */
    private void maintainFilter(int current) {
        if (building != null && building.isDone()) {
            FingerprintFilter built = null;
            try {
                built = building.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                LOG.warnf(e.getCause(), "leaf filter rebuild failed, reading the tables directly");
                failedFor = buildingFor;
            }
            if (built != null && buildingFor <= current) {
                filter = built;
                filtered = buildingFor;
            }
            building = null;
        }
        if (building == null && filtered < current && failedFor != current) {
            LeafTable[] tables = new LeafTable[current];
            for (int gi = 0; gi < current; gi++) {
                tables[gi] = applyGeneration(gi);
            }
            buildingFor = current;
            building = new FutureTask<>(() -> buildFilter(tables));
            Thread t = new Thread(building, "chain-leaf-filter");
            t.setDaemon(true);
            buildThread = t;
            t.start();
        }
    }

    /** Reads every slot of {@code tables} into a new filter; stale slots only add false positives. */
    private FingerprintFilter buildFilter(LeafTable[] tables) throws InterruptedException {
        long started = System.nanoTime();
        FingerprintFilter f = new FingerprintFilter(dir, start(tables.length));
        FingerprintFilter.Loader loader = f.new Loader();
        for (LeafTable g : tables) {
            for (long slot = 0; slot < g.slots; slot++) {
                long v = g.get(slot);
                loader.addIfUsed((int) (v >>> 32), v != 0);
                if ((slot & 0xffff) == 0 && Thread.interrupted()) {
                    throw new InterruptedException("leaf index closed");
                }
            }
        }
        loader.finish();
        LOG.debugf("leaf filter over %d generations built in %d ms", tables.length,
                (System.nanoTime() - started) / 1_000_000);
        return f;
    }

    private long probe(LeafTable g, long home, int fp, byte[] leafHash, long size, LongFunction<byte[]> leafHashAt) {
        long slot = home & (g.slots - 1);
        for (long probes = 0; probes < g.slots; probes++) {
            long v = g.get(slot);
            if (v == 0) {
                return -1;
            }
            long leaf = g.start + (v & 0xffffffffL) - 1;
            if ((int) (v >>> 32) == fp && leaf < size && Arrays.equals(leafHashAt.apply(leaf), leafHash)) {
                return leaf;
            }
            slot = (slot + 1) & (g.slots - 1);
        }
        return -1;
    }

    /** The apply thread's tables, cached so its per-leaf probes take no lock. */
    private LeafTable applyGeneration(int gi) {
        if (gi >= applyGenerations.length) {
            applyGenerations = Arrays.copyOf(applyGenerations, Math.max(gi + 1, 2 * applyGenerations.length));
        }
        LeafTable g = applyGenerations[gi];
        if (g == null) {
            g = generation(gi, true);
            applyGenerations[gi] = g;
        }
        return g;
    }

    /**
     * Returns the index of the leaf with {@code leafHash} among the first {@code size} leaves, or -1;
     * {@code leafHashAt} supplies the true leaf hash of a candidate index.
     */
    public synchronized long find(byte[] leafHash, long size, LongFunction<byte[]> leafHashAt) {
        int fp = fingerprint(leafHash);
        for (int gi = 0; start(gi) < size; gi++) {
            LeafTable g = generation(gi, false);
            if (g == null) {
                break;
            }
            long slot = slotOf(leafHash) & (g.slots - 1);
            for (long probes = 0; probes < g.slots; probes++) {
                long v = g.get(slot);
                if (v == 0) {
                    break;
                }
                long leaf = g.start + (v & 0xffffffffL) - 1;
                if ((int) (v >>> 32) == fp && leaf < size && Arrays.equals(leafHashAt.apply(leaf), leafHash)) {
                    return leaf;
                }
                slot = (slot + 1) & (g.slots - 1);
            }
        }
        return -1;
    }

    /** Leaves [0, n) whose entries were on disk when the tables were last forced; 0 if unknown. */
    public long durableSize() {
        try {
            byte[] b = Files.readAllBytes(dir.resolve(WATERMARK));
            ByteBuffer in = ByteBuffer.wrap(b);
            long size = b.length == 16 ? in.getLong() : -1;
            return b.length == 16 && in.getLong() == ~size && size >= 0 ? size : 0;
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Forces the tables to disk and records that they hold every leaf below {@code size}; the caller
     * guarantees those leaves were put before this call.
     */
    public void markDurable(long size) {
        List<LeafTable> tables;
        synchronized (this) {
            tables = List.copyOf(generations);
        }
        // Forced outside the lock: lookups go on while the tables are written out.
        tables.forEach(LeafTable::force);
        ByteBuffer out = ByteBuffer.allocate(16).putLong(size).putLong(~size).flip();
        AtomicFile.replace(dir.resolve(WATERMARK), out);
    }

    static int generationOf(long leaf) {
        long x = leaf >>> FIRST_BITS;
        return x == 0 ? 0 : 64 - Long.numberOfLeadingZeros(x);
    }

    static long start(int g) {
        return g == 0 ? 0 : 1L << (FIRST_BITS + g - 1);
    }

    private static long capacity(int g) {
        return g == 0 ? 1L << FIRST_BITS : 1L << (FIRST_BITS + g - 1);
    }

    private synchronized LeafTable generation(int g, boolean create) {
        while (generations.size() <= g) {
            int next = generations.size();
            Path file = dir.resolve("gen-" + next + ".bin");
            if (!create && !Files.exists(file)) {
                return null;
            }
            generations.add(new LeafTable(file, start(next), 2 * capacity(next)));
        }
        return generations.get(g);
    }

    private static int fingerprint(byte[] h) {
        return fingerprint(h, 0);
    }

    private static int fingerprint(byte[] h, int off) {
        return ((h[off + 8] & 0xff) << 24) | ((h[off + 9] & 0xff) << 16) | ((h[off + 10] & 0xff) << 8)
                | (h[off + 11] & 0xff);
    }

    private static long slotOf(byte[] h) {
        return slotOf(h, 0);
    }

    private static long slotOf(byte[] h, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[off + i] & 0xff);
        }
        return v;
    }

    /** Generations the apply loop's filter covers now (tests). */
    int filteredGenerations() {
        return filtered;
    }

    private void dropFilter() {
        filter = null;
        filtered = 0;
        if (building != null) {
            building.cancel(true);
            building = null;
        }
    }

    @Override
    public void close() {
        Thread prefaulting = prefaultThread;
        if (prefaulting != null) {
            prefaulting.interrupt();
            join(prefaulting);
        }
        synchronized (this) {
            Thread t = buildThread;
            dropFilter();
            join(t);
            generations.forEach(LeafTable::close);
        }
    }

    private static void join(Thread t) {
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
