package io.tracemark.contracts.blocks;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link BlockMessage.Batch#leafIndexOf}: a position in a leaf-batch record → its leaf index, given skipped positions. */
class BatchLeafIndexTest {

    @Test
    void withoutSkipsEveryPositionIsFirstLeafIndexPlusPosition() {
        BlockMessage.Batch b = new BlockMessage.Batch(120, 40, 5);
        for (int p = 0; p < 5; p++) {
            assertEquals(OptionalLong.of(40 + p), b.leafIndexOf(p), "position " + p);
        }
    }

    @Test
    void nullSkippedMeansNoSkips() {
        BlockMessage.Batch b = new BlockMessage.Batch(120, 40, 3, null);
        assertEquals(List.of(), b.skipped());
        assertEquals(OptionalLong.of(42), b.leafIndexOf(2));
    }

    @Test
    void skipsBeforeThePositionShiftItDownByTheirNumber() {
        // record of 6 digests, positions 0 and 2 already in the tree: 1→40, 3→41, 4→42, 5→43
        BlockMessage.Batch b = new BlockMessage.Batch(120, 40, 4, List.of(0, 2));
        assertEquals(OptionalLong.of(40), b.leafIndexOf(1));
        assertEquals(OptionalLong.of(41), b.leafIndexOf(3));
        assertEquals(OptionalLong.of(42), b.leafIndexOf(4));
        assertEquals(OptionalLong.of(43), b.leafIndexOf(5));
    }

    @Test
    void skipsAfterThePositionDoNotMoveIt() {
        BlockMessage.Batch b = new BlockMessage.Batch(120, 40, 3, List.of(3, 4));
        assertEquals(OptionalLong.of(40), b.leafIndexOf(0));
        assertEquals(OptionalLong.of(41), b.leafIndexOf(1));
        assertEquals(OptionalLong.of(42), b.leafIndexOf(2));
    }

    @Test
    void skippedPositionHasNoLeafIndex() {
        BlockMessage.Batch b = new BlockMessage.Batch(120, 40, 3, List.of(1, 3));
        assertEquals(OptionalLong.empty(), b.leafIndexOf(1));
        assertEquals(OptionalLong.empty(), b.leafIndexOf(3));
        assertEquals(OptionalLong.of(40), b.leafIndexOf(0));
        assertEquals(OptionalLong.of(41), b.leafIndexOf(2));
        assertEquals(OptionalLong.of(42), b.leafIndexOf(4));
    }

    @Test
    void whenAllPositionsAreSkippedNoneHasALeafIndex() {
        BlockMessage.Batch b = new BlockMessage.Batch(120, 40, 0, List.of(0, 1, 2));
        for (int p = 0; p < 3; p++) {
            assertEquals(OptionalLong.empty(), b.leafIndexOf(p), "position " + p);
        }
    }

    @Test
    void appendedPositionsGetConsecutiveLeafIndicesFromFirstLeafIndex() {
        List<Integer> skipped = List.of(0, 3, 4, 9);
        int digests = 12;
        BlockMessage.Batch b = new BlockMessage.Batch(7, 1000, digests - skipped.size(), skipped);
        long next = 1000;
        for (int p = 0; p < digests; p++) {
            if (skipped.contains(p)) {
                assertEquals(OptionalLong.empty(), b.leafIndexOf(p), "position " + p);
            } else {
                assertEquals(OptionalLong.of(next++), b.leafIndexOf(p), "position " + p);
            }
        }
        assertEquals(1000 + b.count(), next);
    }
}
