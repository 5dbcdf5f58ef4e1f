package io.tracemark.proofs.media;

/**
 * Pillow's 8-bit Lanczos resampling ({@code Image.resize(size, Image.Resampling.LANCZOS)} on an
 * {@code "L"} image), reproduced to the bit so that hashes agree with Python {@code imagehash}.
 *
 * <p>As Pillow's {@code libImaging/Resample.c}: a separable windowed sinc with a = 3 whose support
 * widens by the scale factor when shrinking (so every source pixel is averaged in), weights
 * normalised to sum 1 and rounded to 22-bit fixed point, a horizontal pass rounded and clipped to
 * 8 bits, then a vertical pass likewise.
 *
 * @see <a href="https://github.com/python-pillow/Pillow/blob/9.4.0/src/libImaging/Resample.c">Pillow Resample.c</a>
 */
final class LanczosResampler {
    private static final double SUPPORT = 3.0;
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private LanczosResampler() {
    }

    /** Supplies an image's 8-bit levels one row at a time, so a large image is never copied whole. */
    @FunctionalInterface
    interface Rows {
        /** Fills {@code into} (the image's width long) with row {@code y}. */
        void read(int y, int[] into);
    }

    /** Resizes an {@code inW}×{@code inH} image read row by row to a row-major {@code outW}×{@code outH} plane. */
    static int[] resize(Rows rows, int inW, int inH, int outW, int outH) {
        // Pillow skips a pass whose size does not change; copying the row is the same thing.
        Coefficients c = outW != inW ? Coefficients.of(inW, outW) : null;
        int[] row = new int[inW];
        int[] narrowed = new int[outW * inH];
        for (int y = 0; y < inH; y++) {
            rows.read(y, row);
            if (c == null) {
                System.arraycopy(row, 0, narrowed, y * outW, inW);
            } else {
                horizontal(row, c, narrowed, y * outW);
            }
        }
        return outH != inH ? vertical(narrowed, outW, inH, outH) : narrowed;
    }

    private static void horizontal(int[] row, Coefficients c, int[] out, int at) {
        for (int x = 0; x < c.min.length; x++) {
            int acc = 1 << (PRECISION_BITS - 1);
            int min = c.min[x];
            int base = x * c.size;
            for (int i = 0; i < c.count[x]; i++) {
                acc += row[min + i] * c.weights[base + i];
            }
            out[at + x] = clip8(acc);
        }
    }

    private static int[] vertical(int[] in, int w, int inH, int outH) {
        Coefficients c = Coefficients.of(inH, outH);
        int[] out = new int[w * outH];
        for (int y = 0; y < outH; y++) {
            int min = c.min[y];
            int base = y * c.size;
            for (int x = 0; x < w; x++) {
                int acc = 1 << (PRECISION_BITS - 1);
                for (int i = 0; i < c.count[y]; i++) {
                    acc += in[(min + i) * w + x] * c.weights[base + i];
                }
                out[y * w + x] = clip8(acc);
            }
        }
        return out;
    }

    private static int clip8(int acc) {
        return Math.max(0, Math.min(255, acc >> PRECISION_BITS));
    }

    /** Per output pixel: the first source index, how many sources, and their fixed-point weights. */
    private record Coefficients(int size, int[] min, int[] count, int[] weights) {
        static Coefficients of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = SUPPORT * filterScale;
            int size = (int) Math.ceil(support) * 2 + 1;
            int[] min = new int[outSize];
            int[] count = new int[outSize];
            int[] weights = new int[outSize * size];
            double[] k = new double[size];
            double inverse = 1.0 / filterScale;
            for (int o = 0; o < outSize; o++) {
                double center = (o + 0.5) * scale;
                // Truncating casts, as C's (int), decide exactly which source pixels Pillow reads.
                int lo = Math.max(0, (int) (center - support + 0.5));
                int hi = Math.min(inSize, (int) (center + support + 0.5));
                int n = hi - lo;
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    k[i] = lanczos((i + lo - center + 0.5) * inverse);
                    sum += k[i];
                }
                for (int i = 0; i < n; i++) {
                    double w = sum != 0.0 ? k[i] / sum : k[i];
                    weights[o * size + i] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
                }
                min[o] = lo;
                count[o] = n;
            }
            return new Coefficients(size, min, count, weights);
        }
    }

    private static double lanczos(double x) {
        return -SUPPORT <= x && x < SUPPORT ? sinc(x) * sinc(x / SUPPORT) : 0.0;
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        double px = x * Math.PI;
        // StrictMath (fdlibm) gives the same bits on every JVM; the weights are rounded to 22 bits anyway.
        return StrictMath.sin(px) / px;
    }
}
