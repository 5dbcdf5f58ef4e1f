package io.tracemark.proofs.media;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.awt.image.RescaleOp;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * pHash stability under everyday copying, separation of unrelated images, the DCT, the hex/chunk encodings, and the
 * multi-index probes of near-duplicate search.
 */
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

    @Test
    void taggedProbesForThresholdTenAreFourTimes137TaggedValues() {
        long h = 0x8f3c0e1a55aa0ff0L;
        List<Integer> probes = PerceptualHash.taggedProbes(h, NEAR);
        int perChunk = 1 + 16 + 16 * 15 / 2; // the chunk itself, 1 flipped bit, 2 flipped bits
        assertEquals(137, perChunk);
        assertEquals(4 * perChunk, probes.size());
        assertEquals(probes.size(), new HashSet<>(probes).size(), "no probe twice");
        int[] chunks = PerceptualHash.chunks(h);
        for (int k = 0; k < probes.size(); k++) {
            int p = probes.get(k);
            int i = p >>> 16;
            int v = p & 0xffff;
            assertEquals(k / perChunk, i, "probe " + k + " is tagged with its chunk position, chunk 0 first");
            assertEquals(p, i << 16 | v, "probe " + k + " is i << 16 | v");
            assertTrue(Integer.bitCount(v ^ chunks[i]) <= 2, "probe " + k + " is within 2 bits of chunk " + i);
        }
        for (int i = 0; i < 4; i++) {
            assertTrue(probes.contains(i << 16 | chunks[i]), "chunk " + i + " itself is probed");
        }
    }

    @Test
    void taggedProbesCoverEveryValueWithinTwoBitsOfEachChunk() {
        long h = 0x0123456789abcdefL;
        Set<Integer> probes = new HashSet<>(PerceptualHash.taggedProbes(h, NEAR));
        int[] chunks = PerceptualHash.chunks(h);
        for (int i = 0; i < 4; i++) {
            for (int v = 0; v <= 0xffff; v++) {
                assertEquals(Integer.bitCount(v ^ chunks[i]) <= 2, probes.contains(i << 16 | v),
                        "chunk " + i + " value " + Integer.toHexString(v));
            }
        }
    }

    @Test
    void taggedProbesBelowFourBitsAreTheTaggedChunksThemselves() {
        long h = 0x8f3c0e1a55aa0ff0L;
        assertEquals(List.of(0x8f3c, 1 << 16 | 0x0e1a, 2 << 16 | 0x55aa, 3 << 16 | 0x0ff0), PerceptualHash.taggedProbes(h, 3));
    }

    @Test
    void anyHashWithinTenBitsSharesATaggedChunkWithTheProbes() {
        Random r = new Random(20240501L);
        for (int trial = 0; trial < 20_000; trial++) {
            long query = r.nextLong();
            int flips = trial % (NEAR + 1); // 0..10 flipped bits, each count equally often
            long near = flipRandomBits(query, flips, r);
            assertEquals(flips, PerceptualHash.distance(query, near));
            Set<Integer> probes = new HashSet<>(PerceptualHash.taggedProbes(query, NEAR));
            assertTrue(sharesTaggedChunk(probes, near), "trial " + trial + ": " + PerceptualHash.hex(query) + " vs "
                    + PerceptualHash.hex(near) + " (" + flips + " bits) share no tagged chunk");
        }
    }

    @Test
    void tenBitsSpreadAsEvenlyAsPossibleStillShareATaggedChunk() {
        Random r = new Random(7L);
        int[][] spreads = {{3, 3, 2, 2}, {3, 3, 3, 1}, {2, 3, 3, 2}, {3, 2, 2, 3}, {1, 3, 3, 3}, {3, 3, 3, 0}, {0, 0, 0, 10}};
        for (int trial = 0; trial < 500; trial++) {
            for (int[] spread : spreads) {
                long query = r.nextLong();
                long near = flipPerChunk(query, spread, r);
                assertTrue(PerceptualHash.distance(query, near) <= NEAR);
                Set<Integer> probes = new HashSet<>(PerceptualHash.taggedProbes(query, NEAR));
                assertTrue(sharesTaggedChunk(probes, near), java.util.Arrays.toString(spread));
            }
        }
    }

    @Test
    void hashAtTwelveOrMoreBitsSpreadEvenlyOverChunksSharesNoTaggedChunk() {
        Random r = new Random(20240502L);
        for (int trial = 0; trial < 5_000; trial++) {
            int perChunk = 3 + trial % 3; // 3, 4 or 5 bits in every chunk: distance 12, 16 or 20
            long query = r.nextLong();
            long far = flipPerChunk(query, new int[]{perChunk, perChunk, perChunk, perChunk}, r);
            assertEquals(4 * perChunk, PerceptualHash.distance(query, far));
            Set<Integer> probes = new HashSet<>(PerceptualHash.taggedProbes(query, NEAR));
            assertFalse(sharesTaggedChunk(probes, far), "trial " + trial + ": " + PerceptualHash.hex(query) + " vs "
                    + PerceptualHash.hex(far));
        }
    }

    /** Whether one of {@code hash}'s position-tagged chunks ({@code i << 16 | chunk_i}) is among {@code probes}. */
    private static boolean sharesTaggedChunk(Set<Integer> probes, long hash) {
        int[] c = PerceptualHash.chunks(hash);
        for (int i = 0; i < c.length; i++) {
            if (probes.contains(i << 16 | c[i])) {
                return true;
            }
        }
        return false;
    }

    /** {@code hash} with {@code n} distinct random bits flipped. */
    private static long flipRandomBits(long hash, int n, Random r) {
        long mask = 0;
        while (Long.bitCount(mask) < n) {
            mask |= 1L << r.nextInt(64);
        }
        return hash ^ mask;
    }

    /** {@code hash} with {@code counts[i]} distinct random bits flipped in chunk i (chunk 0 = bits 63..48). */
    private static long flipPerChunk(long hash, int[] counts, Random r) {
        long mask = 0;
        for (int i = 0; i < 4; i++) {
            int shift = 48 - 16 * i;
            long chunkMask = 0;
            while (Long.bitCount(chunkMask) < counts[i]) {
                chunkMask |= 1L << (shift + r.nextInt(16));
            }
            mask |= chunkMask;
        }
        return hash ^ mask;
    }
}
