package io.tracemark.verify.claims;

import io.tracemark.verify.fixtures.Images;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pHash stability under everyday copying, separation of unrelated images, and the multi-index guarantee. */
class PerceptualHashTest {
    @Test
    void resizedRecompressedAndSlightlyCroppedCopiesStayWithinTheThreshold() {
        for (long seed = 1; seed <= 8; seed++) {
            BufferedImage original = Images.scene(seed);
            long h = PerceptualHash.of(original);
            int resized = PerceptualHash.distance(h, PerceptualHash.of(Images.resize(original, 0.5)));
            int jpeg = PerceptualHash.distance(h, PerceptualHash.of(Images.decode(Images.jpeg(original, 0.35f))));
            int cropped = PerceptualHash.distance(h, PerceptualHash.of(Images.crop(original, 0.04)));
            int all = PerceptualHash.distance(h, PerceptualHash.of(
                    Images.decode(Images.jpeg(Images.resize(Images.crop(original, 0.03), 0.6), 0.5f))));
            String d = "seed " + seed + ": resized " + resized + ", jpeg " + jpeg + ", cropped " + cropped + ", all " + all;
            assertTrue(resized <= 10 && jpeg <= 10 && cropped <= 10 && all <= 10, d);
        }
    }

    @Test
    void unrelatedImagesAreFarApart() {
        for (long a = 1; a <= 8; a++) {
            for (long b = a + 1; b <= 8; b++) {
                int d = PerceptualHash.distance(PerceptualHash.of(Images.scene(a)), PerceptualHash.of(Images.scene(b)));
                assertTrue(d > 10, "scenes " + a + " and " + b + " differ in only " + d + " bits");
            }
        }
    }

    @Test
    void everyHashWithinTheThresholdSharesAProbedChunkValue() {
        Random rnd = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            long q = rnd.nextLong();
            long x = q;
            int flips = rnd.nextInt(11);
            for (int f = 0; f < flips; f++) {
                x ^= 1L << rnd.nextInt(64);
            }
            var probes = PhashChunks.probes(q, 10);
            int[] chunks = PhashChunks.of(x);
            boolean found = false;
            for (int c = 0; c < PhashChunks.CHUNKS; c++) {
                found |= probes.get(c).contains(chunks[c]);
            }
            assertTrue(found, Long.toHexString(q) + " vs " + Long.toHexString(x));
        }
        // 1 + 16 + 120 values within 2 bits, per position.
        PhashChunks.probes(0x0123456789abcdefL, 10).forEach(p -> assertEquals(137, p.size()));
    }

    @Test
    void hexRoundTripsAndChunksAreMostSignificantFirst() {
        long h = 0x8f3c0e1a55aa0ff0L;
        assertEquals("8f3c0e1a55aa0ff0", PerceptualHash.hex(h));
        assertEquals(h, PerceptualHash.parse("8f3c0e1a55aa0ff0"));
        assertEquals(0x8f3c, PhashChunks.of(h)[0]);
        assertEquals(0x0ff0, PhashChunks.of(h)[3]);
        assertEquals(java.util.List.of(0x8f3c, 0x10e1a, 0x255aa, 0x30ff0), PhashChunks.tagged(h));
    }
}
