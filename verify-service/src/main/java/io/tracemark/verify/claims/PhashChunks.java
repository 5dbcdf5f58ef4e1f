package io.tracemark.verify.claims;

import io.tracemark.proofs.media.PerceptualHash;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Multi-index hashing (Norouzi, Punjani, Fleet, "Fast Search in Hamming Space with Multi-Index
 * Hashing", CVPR 2012) over the four 16-bit chunks of a 64-bit pHash.
 *
 * <p>If two hashes differ in at most {@code t} bits, by the pigeonhole principle at least one of the
 * four chunks differs in at most ⌊t/4⌋ bits. So the candidates of a query are the works whose chunk i,
 * for some i, is within ⌊t/4⌋ bits of the query's chunk i. ingest lists every work under its chunks
 * tagged with their position ({@code i << 16 | chunk_i}) in the {@code work_chunks} lookup collection,
 * whose {@code _id} finds them without a scan (about 4·137/65536 of the works for t = 10); the exact
 * distance then filters the candidates.
 */
public final class PhashChunks {
    /** Chunks per hash. */
    public static final int CHUNKS = 4;

    private PhashChunks() {
    }

    /** The four 16-bit chunks, most significant first, as stored in {@code keys.phashChunks}. */
    public static int[] of(long hash) {
        return PerceptualHash.chunks(hash);
    }

    /**
     * For each chunk position, every 16-bit value within ⌊threshold/4⌋ bits of the query's chunk there:
     * the values to look up in that position's index.
     */
    public static List<Set<Integer>> probes(long hash, int threshold) {
        int radius = threshold / CHUNKS;
        List<Set<Integer>> out = new java.util.ArrayList<>();
        for (int chunk : of(hash)) {
            Set<Integer> values = new LinkedHashSet<>();
            neighbours(chunk, 0, radius, values);
            out.add(values);
        }
        return out;
    }

    private static void neighbours(int value, int fromBit, int radius, Set<Integer> out) {
        out.add(value);
        if (radius == 0) {
            return;
        }
        for (int b = fromBit; b < 16; b++) {
            neighbours(value ^ (1 << b), b + 1, radius - 1, out);
        }
    }

    /** Position-tagged chunk values ({@code i << 16 | chunk_i}) as ingest stores them in {@code keys.phashChunks}. */
    public static List<Integer> tagged(long hash) {
        int[] c = of(hash);
        return java.util.stream.IntStream.range(0, CHUNKS).mapToObj(i -> i << 16 | c[i]).toList();
    }
}
