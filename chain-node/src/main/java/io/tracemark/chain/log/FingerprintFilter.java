package io.tracemark.chain.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A register-blocked Bloom filter (Putze, Sanders, Singler, "Cache-, Hash- and Space-Efficient Bloom
 * Filters", WEA 2007) over the 32-bit leaf-hash fingerprints that {@link LeafIndex} keeps in its
 * slots. Each fingerprint sets three bits of one 64-bit word, so a test is one memory access.
 *
 * <p>It answers "certainly not in the completed generations" for almost every new leaf, which spares
 * the apply loop one random read per completed table. A "maybe" is always settled by the tables and
 * the stored digests, so the filter changes how fast deduplication is, never its answer. It is keyed
 * on the fingerprint, not the whole hash, because the tables keep only the fingerprint: that lets it
 * be rebuilt from them without reading or re-hashing the entries.
 *
 * <p>Like the tables it is memory-mapped rather than on the heap (2 bytes per leaf would outgrow small
 * heaps as the log grows); it is scratch space, rebuilt on every start.
 */
final class FingerprintFilter {
    /** About 16 bits per fingerprint: roughly 1 % false positives with three bits per key. */
    private static final int BITS_PER_KEY = 16;
    private static final int SEGMENT_WORDS_BITS = 27;
    /** 2^30 words (8 GiB) for 2^32 fingerprints: past that the 32-bit fingerprints collide anyway. */
    private static final int MAX_WORD_BITS = 30;
    private static final long SEGMENT_WORDS_MASK = (1L << SEGMENT_WORDS_BITS) - 1;

    private final MappedByteBuffer[] segments;
    /** The word of a fingerprint is its top bits: {@code fp >>> shift}. */
    private final int shift;

    /**
     * A new, empty filter sized for {@code expected} fingerprints, mapped from a scratch file in
     * {@code dir} that is unlinked at once: nothing is left behind by a crash, and the pages can still
     * be written back under memory pressure instead of growing the heap.
     */
    FingerprintFilter(Path dir, long expected) {
        long wanted = Math.max(1024, expected * BITS_PER_KEY / 64);
        int bits = Math.min(MAX_WORD_BITS, 64 - Long.numberOfLeadingZeros(wanted - 1));
        long words = 1L << bits;
        shift = 32 - bits;
        try {
            Path file = Files.createTempFile(dir, "filter-", ".tmp");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                int n = (int) Math.max(1, words >>> SEGMENT_WORDS_BITS);
                long segmentWords = Math.min(words, 1L << SEGMENT_WORDS_BITS);
                segments = new MappedByteBuffer[n];
                for (int i = 0; i < n; i++) {
                    segments[i] = channel.map(FileChannel.MapMode.READ_WRITE, i * segmentWords * 8, segmentWords * 8);
                    segments[i].order(ByteOrder.nativeOrder());
                }
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map a leaf filter in " + dir, e);
        }
    }

    /**
     * Adds fingerprints in bulk. They are first partitioned by the filter region (256 KiB) their word
     * falls in and each region's share is set at once, so the writes hit a region that is in cache
     * rather than missing on every key: a random write per key into a filter of tens of MiB cost about
     * 45 ns, most of a rebuild. Memory for the buffers stays bounded whatever the filter's size.
     */
    final class Loader {
        private static final int REGION_WORDS_BITS = 15;
        private static final int MAX_BUFFERED = 1 << 22;

        private final int regionShift;
        private final int[][] buckets;
        private final int[] sizes;

        Loader() {
            int wordBits = 32 - shift;
            int regionBits = Math.max(0, wordBits - REGION_WORDS_BITS);
            regionShift = 32 - regionBits;
            int regions = 1 << regionBits;
            int capacity = Math.max(1024, MAX_BUFFERED / regions);
            buckets = new int[regions][capacity];
            sizes = new int[regions];
        }

        /**
         * Adds the fingerprint of a table slot if the slot is used. Branch-free on {@code used}:
         * half the slots of a table are empty at random, and a mispredicted branch per slot cost more
         * than the rest of the scan.
         */
        void addIfUsed(int fingerprint, boolean used) {
            int region = regionShift == 32 ? 0 : fingerprint >>> regionShift;
            int[] bucket = buckets[region];
            int size = sizes[region];
            bucket[size] = fingerprint;
            size += used ? 1 : 0;
            sizes[region] = size;
            if (size == bucket.length) {
                flush(region);
            }
        }

        /** Sets the bits of everything still buffered. */
        void finish() {
            for (int region = 0; region < buckets.length; region++) {
                flush(region);
            }
        }

        private void flush(int region) {
            int[] bucket = buckets[region];
            for (int i = 0, n = sizes[region]; i < n; i++) {
                set(bucket[i]);
            }
            sizes[region] = 0;
        }
    }

    boolean mightContain(int fingerprint) {
        long m = mask(fingerprint);
        return (word(wordIndex(fingerprint)) & m) == m;
    }

    /** The word {@link #mightContain} reads for {@code fingerprint}, for batched loads. */
    long wordOf(int fingerprint) {
        return word(wordIndex(fingerprint));
    }

    /**
     * The fingerprint's top bits choose the word: bytes 8..11 of a SHA-256 output are uniform already,
     * so no mixing is needed, and a rebuild can group fingerprints by region from the same bits.
     */
    private long wordIndex(int fingerprint) {
        return (fingerprint & 0xffffffffL) >>> shift;
    }

    private long word(long w) {
        return segments[(int) (w >>> SEGMENT_WORDS_BITS)].getLong((int) (w & SEGMENT_WORDS_MASK) << 3);
    }

    private void set(int fingerprint) {
        long w = wordIndex(fingerprint);
        MappedByteBuffer s = segments[(int) (w >>> SEGMENT_WORDS_BITS)];
        int at = (int) (w & SEGMENT_WORDS_MASK) << 3;
        s.putLong(at, s.getLong(at) | mask(fingerprint));
    }

    /**
     * Three bit positions from the top 18 bits of a multiplicative (Fibonacci) hash of the whole
     * fingerprint, so fingerprints sharing a word still set different bits.
     */
    private static long mask(int fingerprint) {
        long z = (fingerprint & 0xffffffffL) * 0x9E3779B97F4A7C15L;
        return (1L << (z >>> 58)) | (1L << (z >>> 52)) | (1L << (z >>> 46));
    }
}
