package io.tracemark.proofs.media;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 64-bit DCT perceptual hash (pHash) of an image, bit for bit as Python
 * {@code imagehash.phash(image)} (hash_size 8, highfreq_factor 4) computes it: 8-bit grey levels
 * ({@link GreyPlane}), Pillow's Lanczos resize to 32×32 ({@link LanczosResampler}), 2-D DCT-II,
 * the 8×8 lowest frequencies (DC included), each bit set where the coefficient is above their
 * median. Bit 63 is coefficient (0,0), then row by row, so {@link #hex} is imagehash's string.
 *
 * <p>Resizing, recompression and small edits move few bits; Tracemark treats a Hamming distance of
 * at most 10 as a near-duplicate. ingest stores this value when a work is registered and verify
 * recomputes it for uploaded files, so both must call this one implementation.
 *
 * @see <a href="https://www.phash.org/docs/pubs/thesis_zauner.pdf">Zauner 2010, §3.3 DCT based hash</a>
 * @see <a href="https://github.com/JohannesBuchner/imagehash">imagehash.phash</a>
 */
public final class PerceptualHash {
    /** Side of the downscaled image the DCT runs on. */
    static final int SIZE = 32;
    private static final int LOW = 8;
    private static final double[][] COS = new double[LOW][SIZE];

    static {
        for (int k = 0; k < LOW; k++) {
            for (int n = 0; n < SIZE; n++) {
                COS[k][n] = Math.cos(Math.PI * k * (2 * n + 1) / (2 * SIZE));
            }
        }
    }

    private PerceptualHash() {
    }

    /** The pHash of {@code image}. */
    public static long of(BufferedImage image) {
        int[] grey = LanczosResampler.resize(GreyPlane.rows(image), image.getWidth(), image.getHeight(), SIZE, SIZE);
        return ofDownscaled(grey);
    }

    /** The pHash of a 32×32 row-major plane of grey levels. */
    static long ofDownscaled(int[] grey) {
        double[] low = lowFrequencies(grey);
        double[] sorted = low.clone();
        Arrays.sort(sorted);
        // numpy.median of an even count: the mean of the two middle values.
        double median = (sorted[low.length / 2 - 1] + sorted[low.length / 2]) / 2;
        long hash = 0;
        for (double c : low) {
            hash = (hash << 1) | (c > median ? 1 : 0);
        }
        return hash;
    }

    /**
     * The 8×8 lowest coefficients of the unnormalised 2-D DCT-II, row-major ([u][v], u vertical).
     * scipy's {@code dct} doubles every coefficient; a positive scale leaves the bits unchanged.
     */
    static double[] lowFrequencies(int[] grey) {
        double[][] rows = new double[SIZE][LOW];
        for (int y = 0; y < SIZE; y++) {
            for (int v = 0; v < LOW; v++) {
                double s = 0;
                for (int x = 0; x < SIZE; x++) {
                    s += grey[y * SIZE + x] * COS[v][x];
                }
                rows[y][v] = s;
            }
        }
        double[] low = new double[LOW * LOW];
        for (int u = 0; u < LOW; u++) {
            for (int v = 0; v < LOW; v++) {
                double s = 0;
                for (int y = 0; y < SIZE; y++) {
                    s += rows[y][v] * COS[u][y];
                }
                low[u * LOW + v] = s;
            }
        }
        return low;
    }

    /** The hash as 16 lower-case hex digits, as {@code str(imagehash.phash(...))}. */
    public static String hex(long hash) {
        return String.format("%016x", hash);
    }

    /**
     * Parses 16 hex digits (either case).
     *
     * @throws IllegalArgumentException if {@code hex} is not exactly 16 hex digits
     */
    public static long parse(String hex) {
        if (hex == null || hex.length() != 16 || !hex.chars().allMatch(HexFormat::isHexDigit)) {
            throw new IllegalArgumentException("a pHash is 16 hex digits");
        }
        return Long.parseUnsignedLong(hex, 16);
    }

    /** The four 16-bit chunks, most significant first (chunk 0 is bits 63..48), for multi-index search. */
    public static int[] chunks(long hash) {
        return new int[]{(int) (hash >>> 48) & 0xffff, (int) (hash >>> 32) & 0xffff,
                (int) (hash >>> 16) & 0xffff, (int) hash & 0xffff};
    }

    /**
     * Multi-index hashing probes (Norouzi, Punjani, Fleet, CVPR 2012): every position-tagged chunk value
     * ({@code i << 16 | chunk_i}, as stored in {@code keys.phashChunks}) within {@code threshold / 4} bits of
     * this hash's chunk i. Two hashes within {@code threshold} bits share at least one such value
     * (pigeonhole), so looking these up finds every candidate before the exact distance check.
     */
    public static java.util.List<Integer> taggedProbes(long hash, int threshold) {
        int radius = threshold / 4;
        java.util.List<Integer> out = new java.util.ArrayList<>();
        int[] c = chunks(hash);
        for (int i = 0; i < c.length; i++) {
            java.util.Set<Integer> values = new java.util.LinkedHashSet<>();
            neighbours(c[i], 0, radius, values);
            for (int v : values) {
                out.add(i << 16 | v);
            }
        }
        return out;
    }

    private static void neighbours(int value, int fromBit, int radius, java.util.Set<Integer> out) {
        out.add(value);
        if (radius == 0) {
            return;
        }
        for (int b = fromBit; b < 16; b++) {
            neighbours(value ^ (1 << b), b + 1, radius - 1, out);
        }
    }

    /** Number of differing bits (Hamming distance). */
    public static int distance(long a, long b) {
        return Long.bitCount(a ^ b);
    }
}
