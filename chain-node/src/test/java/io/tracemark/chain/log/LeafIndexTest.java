package io.tracemark.chain.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The apply loop's exact lookup-and-insert over the leaf index's generations and their filter. */
class LeafIndexTest {
    @TempDir
    Path dir;

    /** A synthetic, well-spread 32-byte "leaf hash" for leaf i of a run (no SHA-256: this is about the tables). */
    private static byte[] hash(long run, long i) {
        byte[] h = new byte[32];
        for (int k = 0; k < 4; k++) {
            long z = (i * 4 + k) * 0x9E3779B97F4A7C15L + run;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            for (int b = 0; b < 8; b++) {
                h[k * 8 + b] = (byte) (z >>> (8 * b));
            }
        }
        return h;
    }

    private static LongFunction<byte[]> run(long run) {
        return i -> hash(run, i);
    }

    @Test
    void findsRepeatsInEveryGenerationWhileAndAfterTheFilterIsRebuilt() throws Exception {
        long size = (1L << 21) + 5000;
        LongFunction<byte[]> at = run(1);
        try (LeafIndex index = new LeafIndex(dir)) {
            for (long leaf = 0; leaf < size; leaf++) {
                assertEquals(-1, index.findOrPut(at.apply(leaf), leaf, at), "fresh leaf " + leaf);
                if (leaf == (1L << 21) + 1) {
                    // Generation 2 has just started; its filter is being built, generation 1 is read directly.
                    assertRepeatsFound(index, leaf + 1, at);
                }
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (index.filteredGenerations() < 2 && System.nanoTime() < deadline) {
                index.findOrPut(at.apply(7), size, at);
                Thread.sleep(5);
            }
            assertEquals(2, index.filteredGenerations(), "the filter over generations 0 and 1 was adopted");
            assertRepeatsFound(index, size, at);
            for (long i = 0; i < 1000; i++) {
                assertEquals(-1, index.findOrPut(hash(2, i), size + i, i2 -> i2 < size ? at.apply(i2) : hash(2, i2 - size)));
            }
        }
    }

    private static void assertRepeatsFound(LeafIndex index, long next, LongFunction<byte[]> at) {
        for (long leaf : new long[] {0, 1, 12_345, (1L << 20) - 1, 1L << 20, (1L << 20) + 777, (1L << 21) - 1, next - 1}) {
            assertEquals(leaf, index.findOrPut(at.apply(leaf), next, at), "repeat of leaf " + leaf);
        }
    }

    @Test
    void aDifferentHashWithTheSameSlotAndFingerprintIsNotARepeat() {
        byte[] original = hash(3, 0);
        // Bytes 0..7 choose the slot and 8..11 are the fingerprint: only the stored hash tells them apart.
        byte[] lookalike = original.clone();
        lookalike[31] ^= 1;
        LongFunction<byte[]> at = i -> i == 0 ? original : i == 1 ? lookalike : hash(3, i);
        try (LeafIndex index = new LeafIndex(dir)) {
            assertEquals(-1, index.findOrPut(original, 0, at));
            assertEquals(-1, index.findOrPut(lookalike, 1, at));
            assertEquals(0, index.findOrPut(original, 2, at));
            assertEquals(1, index.findOrPut(lookalike, 2, at));
            assertEquals(1, index.find(lookalike, 2, at));
        }
    }

    @Test
    void slotsLeftByAnUncommittedRunAreNeitherRepeatsNorInTheWay() {
        LongFunction<byte[]> crashed = run(4);
        LongFunction<byte[]> committed = run(5);
        try (LeafIndex index = new LeafIndex(dir)) {
            for (long leaf = 0; leaf < 100; leaf++) {
                index.put(crashed.apply(leaf), leaf);
            }
        }
        // After the crash only leaves [0, 50) were committed; the topic then gave different leaves from 50 on.
        LongFunction<byte[]> now = i -> i < 50 ? crashed.apply(i) : i == 100 ? crashed.apply(60) : committed.apply(i);
        try (LeafIndex index = new LeafIndex(dir)) {
            for (long leaf = 50; leaf < 100; leaf++) {
                assertEquals(-1, index.findOrPut(committed.apply(leaf), leaf, now));
            }
            assertEquals(-1, index.findOrPut(crashed.apply(60), 100, now), "60 now holds another leaf, so this one is new");
            assertEquals(100, index.find(crashed.apply(60), 101, now));
            assertEquals(60, index.findOrPut(committed.apply(60), 101, now));
            assertEquals(10, index.findOrPut(crashed.apply(10), 101, now));
            assertEquals(99, index.find(committed.apply(99), 101, now));
        }
    }
}
