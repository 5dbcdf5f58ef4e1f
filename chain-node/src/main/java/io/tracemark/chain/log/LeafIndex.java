package io.tracemark.chain.log;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Leaf hash → leaf index lookup, kept off the heap in memory-mapped open-addressing tables.
 *
 * <p>Generation g holds leaves [start(g), start(g) + capacity(g)) with capacities 2^20, 2^20, 2^21,
 * 2^22, … so no table is ever rehashed. A slot is 8 bytes: a 32-bit fingerprint of the leaf hash and
 * the leaf's offset in the generation. The tables are a cache over the entries file: every hit is
 * confirmed against the stored digest and bounded by the committed size, so entries left over from
 * uncommitted work (a crash) are harmless and are overwritten when their leaf index is re-applied.
 *
 * <p>The tables are not fsync'd with every block (random inserts dirty every page, so that would
 * rewrite them whole each time). Instead {@link #markDurable} forces them now and then and records
 * the size they cover, and leaves committed after that are re-indexed on open ({@link LeafIndexSync}).
 * Re-putting a leaf never empties a slot, so probe chains of leaves below the watermark stay intact.
 */
public final class LeafIndex implements Closeable {
    private static final int FIRST_BITS = 20;
    private static final int SEGMENT_SLOTS_BITS = 24;
    private static final int SEGMENT_SLOTS = 1 << SEGMENT_SLOTS_BITS;
    private static final String WATERMARK = "durable-size";

    private final Path dir;
    private final List<Generation> generations = new ArrayList<>();
    private Generation writing;
    private int writingGeneration = -1;

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
        if (gi != writingGeneration) {
            writing = generation(gi, true);
            writingGeneration = gi;
        }
        Generation g = writing;
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
     * Returns the index of the leaf with {@code leafHash} among the first {@code size} leaves, or -1;
     * {@code leafHashAt} supplies the true leaf hash of a candidate index.
     */
    public synchronized long find(byte[] leafHash, long size, LongFunction<byte[]> leafHashAt) {
        int fp = fingerprint(leafHash);
        for (int gi = 0; start(gi) < size; gi++) {
            Generation g = generation(gi, false);
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
                if ((int) (v >>> 32) == fp && leaf < size && java.util.Arrays.equals(leafHashAt.apply(leaf), leafHash)) {
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
        List<Generation> tables;
        synchronized (this) {
            tables = List.copyOf(generations);
        }
        // Forced outside the lock: lookups go on while the tables are written out.
        tables.forEach(Generation::force);
        ByteBuffer out = ByteBuffer.allocate(16).putLong(size).putLong(~size).flip();
        Path tmp = dir.resolve(WATERMARK + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ch.force(true);
            Files.move(tmp, dir.resolve(WATERMARK), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            StateFile.syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    private synchronized Generation generation(int g, boolean create) {
        while (generations.size() <= g) {
            int next = generations.size();
            Path file = dir.resolve("gen-" + next + ".bin");
            if (!create && !Files.exists(file)) {
                return null;
            }
            generations.add(new Generation(file, start(next), 2 * capacity(next)));
        }
        return generations.get(g);
    }

    private static int fingerprint(byte[] h) {
        return ((h[8] & 0xff) << 24) | ((h[9] & 0xff) << 16) | ((h[10] & 0xff) << 8) | (h[11] & 0xff);
    }

    private static long slotOf(byte[] h) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xff);
        }
        return v;
    }

    @Override
    public synchronized void close() {
        generations.forEach(Generation::close);
    }

    /** One table, mapped in segments because a single mapping is limited to 2 GiB. */
    private static final class Generation {
        final long start;
        final long slots;
        final MappedByteBuffer[] segments;
        final FileChannel channel;

        Generation(Path file, long start, long slots) {
            this.start = start;
            this.slots = slots;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                int n = (int) Math.max(1, slots / SEGMENT_SLOTS);
                segments = new MappedByteBuffer[n];
                long segSlots = Math.min(slots, SEGMENT_SLOTS);
                for (int i = 0; i < n; i++) {
                    segments[i] = channel.map(FileChannel.MapMode.READ_WRITE, i * segSlots * 8, segSlots * 8);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot map leaf index " + file, e);
            }
        }

        long get(long slot) {
            return segments[(int) (slot >>> SEGMENT_SLOTS_BITS)].getLong((int) (slot & (SEGMENT_SLOTS - 1)) * 8);
        }

        void put(long slot, long v) {
            segments[(int) (slot >>> SEGMENT_SLOTS_BITS)].putLong((int) (slot & (SEGMENT_SLOTS - 1)) * 8, v);
        }

        void force() {
            for (MappedByteBuffer m : segments) {
                m.force();
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
