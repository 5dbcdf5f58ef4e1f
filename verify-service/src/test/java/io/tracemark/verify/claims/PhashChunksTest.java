package io.tracemark.verify.claims;

import io.tracemark.proofs.media.PerceptualHash;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The multi-index guarantee over pHash chunks, and the tagged chunk values ingest stores. */
class PhashChunksTest {
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
    void chunksAreMostSignificantFirstAndTaggedWithTheirPosition() {
        long h = PerceptualHash.parse("8f3c0e1a55aa0ff0");
        assertArrayEquals(PerceptualHash.chunks(h), PhashChunks.of(h));
        assertEquals(0x8f3c, PhashChunks.of(h)[0]);
        assertEquals(0x0ff0, PhashChunks.of(h)[3]);
        assertEquals(List.of(0x8f3c, 0x10e1a, 0x255aa, 0x30ff0), PhashChunks.tagged(h));
    }
}
