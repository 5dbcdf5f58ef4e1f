package io.tracemark.ingest.media;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * The 64-bit DCT perceptual hash (pHash) of an image, as defined by pHash.org and implemented by
 * the Python {@code imagehash.phash}: luma of a 32×32 downscale, 2-D DCT-II, the 8×8 lowest
 * frequencies, each bit set where the coefficient is above their median. Bit 63 is coefficient
 * (0,0), then row by row. Near-duplicates differ in few bits; Tracemark treats a Hamming distance of
 * at most 10 as near-duplicate.
 *
 * @see <a href="https://www.phash.org/docs/pubs/thesis_zauner.pdf">Zauner 2010, §3.3 DCT-based hash</a>
 */
public final class PerceptualHash {
    private static final int SIZE = 32;
    private static final int LOW = 8;
    private static final double[][] COS = new double[SIZE][SIZE];

    static {
        for (int k = 0; k < SIZE; k++) {
            for (int n = 0; n < SIZE; n++) {
                COS[k][n] = Math.cos(Math.PI / SIZE * (n + 0.5) * k);
            }
        }
    }

    private PerceptualHash() {
    }

    /** The 64-bit hash of an image. */
    public static long of(BufferedImage image) {
        double[][] luma = luma(downscale(image));
        double[][] dct = dct2(luma);
        double[] low = new double[LOW * LOW];
        for (int y = 0; y < LOW; y++) {
            System.arraycopy(dct[y], 0, low, y * LOW, LOW);
        }
        double median = median(low.clone());
        long hash = 0;
        for (double c : low) {
            hash = (hash << 1) | (c > median ? 1 : 0);
        }
        return hash;
    }

    /** The hash as 16 lower-case hex digits. */
    public static String hex(long hash) {
        return String.format("%016x", hash);
    }

    /** The four 16-bit chunks, most significant first (chunk 0 is bits 63..48). */
    public static int[] chunks(long hash) {
        return new int[]{(int) (hash >>> 48) & 0xffff, (int) (hash >>> 32) & 0xffff,
                (int) (hash >>> 16) & 0xffff, (int) hash & 0xffff};
    }

    /** Number of differing bits. */
    public static int distance(long a, long b) {
        return Long.bitCount(a ^ b);
    }

    /** Unnormalised 2-D DCT-II (row transform, then column transform); scaling does not change the bits. */
    static double[][] dct2(double[][] in) {
        int n = in.length;
        double[][] rows = new double[n][n];
        for (int y = 0; y < n; y++) {
            for (int k = 0; k < n; k++) {
                double s = 0;
                for (int x = 0; x < n; x++) {
                    s += in[y][x] * COS[k][x];
                }
                rows[y][k] = s;
            }
        }
        double[][] out = new double[n][n];
        for (int x = 0; x < n; x++) {
            for (int k = 0; k < n; k++) {
                double s = 0;
                for (int y = 0; y < n; y++) {
                    s += rows[y][x] * COS[k][y];
                }
                out[k][x] = s;
            }
        }
        return out;
    }

    private static BufferedImage downscale(BufferedImage src) {
        // Halve with bilinear filtering until close, so large images are averaged rather than sampled.
        BufferedImage img = src;
        int w = img.getWidth();
        int h = img.getHeight();
        while (w / 2 >= SIZE && h / 2 >= SIZE) {
            w /= 2;
            h /= 2;
            img = draw(img, w, h);
        }
        return draw(img, SIZE, SIZE);
    }

    private static BufferedImage draw(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, w, h, java.awt.Color.WHITE, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static double[][] luma(BufferedImage img) {
        double[][] l = new double[SIZE][SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int rgb = img.getRGB(x, y);
                // ITU-R BT.601 luma, as PIL's convert("L").
                l[y][x] = ((rgb >> 16) & 0xff) * 0.299 + ((rgb >> 8) & 0xff) * 0.587 + (rgb & 0xff) * 0.114;
            }
        }
        return l;
    }

    private static double median(double[] v) {
        java.util.Arrays.sort(v);
        return (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
