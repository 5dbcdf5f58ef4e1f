package io.tracemark.proofs.media;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.awt.image.RescaleOp;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pHash stability under everyday copying, separation of unrelated images, the DCT, and the hex/chunk encodings. */
class PerceptualHashTest {
    private static final int NEAR = 10;

    @Test
    void resizedRecompressedAndSlightlyCroppedCopiesStayWithinTheThreshold() {
        for (long seed = 1; seed <= 8; seed++) {
            BufferedImage original = TestImages.scene(seed);
            long h = PerceptualHash.of(original);
            int resized = PerceptualHash.distance(h, PerceptualHash.of(TestImages.resize(original, 0.5)));
            int jpeg = PerceptualHash.distance(h, PerceptualHash.of(TestImages.decode(TestImages.jpeg(original, 0.35f))));
            int cropped = PerceptualHash.distance(h, PerceptualHash.of(TestImages.crop(original, 0.04)));
            int all = PerceptualHash.distance(h, PerceptualHash.of(
                    TestImages.decode(TestImages.jpeg(TestImages.resize(TestImages.crop(original, 0.03), 0.6), 0.5f))));
            String d = "seed " + seed + ": resized " + resized + ", jpeg " + jpeg + ", cropped " + cropped + ", all " + all;
            assertTrue(resized <= NEAR && jpeg <= NEAR && cropped <= NEAR && all <= NEAR, d);
        }
    }

    @Test
    void brightenedCopyIsANearDuplicate() {
        for (long seed = 1; seed <= 4; seed++) {
            BufferedImage original = TestImages.scene(seed);
            BufferedImage bright = new RescaleOp(1.1f, 15f, null).filter(original, null);
            int d = PerceptualHash.distance(PerceptualHash.of(original), PerceptualHash.of(bright));
            assertTrue(d <= NEAR, "seed " + seed + ": distance " + d);
        }
    }

    @Test
    void unrelatedImagesAreFarApart() {
        for (long a = 1; a <= 8; a++) {
            for (long b = a + 1; b <= 8; b++) {
                int d = PerceptualHash.distance(PerceptualHash.of(TestImages.scene(a)), PerceptualHash.of(TestImages.scene(b)));
                assertTrue(d > NEAR, "scenes " + a + " and " + b + " differ in only " + d + " bits");
            }
        }
    }

    @Test
    void lowFrequenciesMatchTheDctIIDefinition() {
        int[] grey = new int[32 * 32];
        Random r = new Random(7);
        for (int i = 0; i < grey.length; i++) {
            grey[i] = r.nextInt(256);
        }
        double[] low = PerceptualHash.lowFrequencies(grey);
        for (int u = 0; u < 8; u++) {
            for (int v = 0; v < 8; v++) {
                double s = 0;
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        s += grey[y * 32 + x] * Math.cos(Math.PI / 32 * (y + 0.5) * u) * Math.cos(Math.PI / 32 * (x + 0.5) * v);
                    }
                }
                assertEquals(s, low[u * 8 + v], 1e-6, "coefficient (" + u + "," + v + ")");
            }
        }
    }

    @Test
    void bitIsSetWhereTheCoefficientExceedsTheMedianRowMajorFromTheTop() {
        int[] grey = new int[32 * 32];
        Random r = new Random(11);
        for (int i = 0; i < grey.length; i++) {
            grey[i] = r.nextInt(256);
        }
        double[] low = PerceptualHash.lowFrequencies(grey);
        double[] sorted = low.clone();
        java.util.Arrays.sort(sorted);
        double median = (sorted[31] + sorted[32]) / 2;
        long hash = PerceptualHash.ofDownscaled(grey);
        for (int i = 0; i < 64; i++) {
            assertEquals(low[i] > median, (hash >>> (63 - i) & 1) == 1, "bit for coefficient " + i);
        }
        assertEquals(32, Long.bitCount(hash), "distinct coefficients split evenly at their median");
        assertTrue(hash < 0, "DC, the largest coefficient, is the top bit");
    }

    @Test
    void hexParseAndChunksRoundTrip() {
        long h = 0x8f3c0e1a55aa0ff0L;
        assertEquals("8f3c0e1a55aa0ff0", PerceptualHash.hex(h));
        assertEquals(h, PerceptualHash.parse("8f3c0e1a55aa0ff0"));
        assertEquals(h, PerceptualHash.parse("8F3C0E1A55AA0FF0"));
        assertEquals("000000000000002a", PerceptualHash.hex(42));
        assertArrayEquals(new int[]{0x8f3c, 0x0e1a, 0x55aa, 0x0ff0}, PerceptualHash.chunks(h));
        assertEquals(64, PerceptualHash.distance(0L, -1L));
        assertEquals(3, PerceptualHash.distance(h, h ^ 0b10101L));
    }

    @Test
    void parseRejectsAnythingButSixteenHexDigits() {
        for (String bad : new String[]{"8f3c0e1a55aa0ff", "8f3c0e1a55aa0ff00", "+f3c0e1a55aa0ff0", "8f3c0e1a55aa0fg0", "", null}) {
            assertThrows(IllegalArgumentException.class, () -> PerceptualHash.parse(bad), String.valueOf(bad));
        }
    }
}
