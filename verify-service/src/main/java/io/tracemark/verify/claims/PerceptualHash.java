package io.tracemark.verify.claims;

import java.awt.image.BufferedImage;

/**
 * The 64-bit DCT perceptual hash (pHash) of an image, as popularised by pHash.org and Python's
 * {@code imagehash.phash}: luminance, box-downsampled to 32×32, 2-D DCT-II, the 8×8 lowest
 * frequencies (DC included) compared with their median; bit 63 is coefficient (0,0), row-major.
 *
 * <p>Resizing, recompression and slight crops move few bits, so near-duplicates are within a small
 * Hamming distance. Ingest must compute registered works' hashes with exactly this algorithm.
 */
public final class PerceptualHash {
    private static final int N = 32;
    private static final int LOW = 8;
    private static final double[][] COS = new double[LOW][N];

    static {
        for (int u = 0; u < LOW; u++) {
            for (int x = 0; x < N; x++) {
                COS[u][x] = Math.cos((2 * x + 1) * u * Math.PI / (2 * N));
            }
        }
    }

    private PerceptualHash() {
    }

    /** The pHash of {@code image}. */
    public static long of(BufferedImage image) {
        double[][] px = luminance32(image);
        double[] low = new double[LOW * LOW];
        // Separable DCT restricted to the 8 lowest frequencies in each direction: 8·32·(32+8) products.
        double[][] rows = new double[N][LOW];
        for (int y = 0; y < N; y++) {
            for (int v = 0; v < LOW; v++) {
                double s = 0;
                for (int x = 0; x < N; x++) {
                    s += px[y][x] * COS[v][x];
                }
                rows[y][v] = s;
            }
        }
        for (int u = 0; u < LOW; u++) {
            for (int v = 0; v < LOW; v++) {
                double s = 0;
                for (int y = 0; y < N; y++) {
                    s += rows[y][v] * COS[u][y];
                }
                low[u * LOW + v] = s;
            }
        }
        double[] sorted = low.clone();
        java.util.Arrays.sort(sorted);
        double median = (sorted[31] + sorted[32]) / 2;
        long hash = 0;
        for (int i = 0; i < low.length; i++) {
            if (low[i] > median) {
                hash |= 1L << (63 - i);
            }
        }
        return hash;
    }

    /** The hash as 16 lowercase hex digits. */
    public static String hex(long hash) {
        return String.format("%016x", hash);
    }

    /** Parses 16 hex digits. */
    public static long parse(String hex) {
        return Long.parseUnsignedLong(hex, 16);
    }

    /** Number of differing bits. */
    public static int distance(long a, long b) {
        return Long.bitCount(a ^ b);
    }

    /** Averages every source pixel's luminance into one of 32×32 cells (an area-averaging downscale). */
    private static double[][] luminance32(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        double[][] sum = new double[N][N];
        double[][] count = new double[N][N];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            int cy = (int) ((long) y * N / h);
            for (int x = 0; x < w; x++) {
                int rgb = row[x];
                double lum = 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
                int cx = (int) ((long) x * N / w);
                sum[cy][cx] += lum;
                count[cy][cx]++;
            }
        }
        for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
                // Images smaller than 32 pixels on a side leave cells empty; reuse the nearest filled one.
                sum[y][x] = count[y][x] > 0 ? sum[y][x] / count[y][x]
                        : sum[Math.min(y, (int) ((long) (h - 1) * N / h))][Math.min(x, (int) ((long) (w - 1) * N / w))];
            }
        }
        return sum;
    }
}
