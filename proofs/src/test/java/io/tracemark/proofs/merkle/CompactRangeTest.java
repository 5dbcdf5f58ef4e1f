package io.tracemark.proofs.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactRangeTest {

    @Test
    void rootMatchesNaiveMthAfterEveryAppend() {
        List<byte[]> leaves = TestTrees.syntheticLeaves(300);
        NaiveMerkle naive = new NaiveMerkle(leaves);
        CompactRange range = new CompactRange();
        assertArrayEquals(Rfc9162Hasher.emptyRoot(), range.root());
        for (int i = 0; i < leaves.size(); i++) {
            byte[] data = leaves.get(i);
            range.appendData(data, 0, data.length);
            assertEquals(i + 1, range.size());
            assertArrayEquals(naive.mth(0, i + 1), range.root(), "size " + (i + 1));
        }
    }

    @Test
    void emitsExactlyTheStoredHashesOfEachLeaf() {
        List<byte[]> leaves = TestTrees.syntheticLeaves(100);
        InMemoryHashStore reference = new InMemoryHashStore();
        CompactRange range = new CompactRange();
        byte[] out = new byte[64 * 32];
        for (int n = 0; n < leaves.size(); n++) {
            byte[] lh = Rfc9162Hasher.leafHash(leaves.get(n));
            byte[][] expected = StoredHashes.storedHashes(n, lh, reference);
            reference.appendLeafHash(lh);
            int count = range.appendLeafHash(lh, 0, out, 0);
            assertEquals(expected.length, count, "leaf " + n);
            for (int i = 0; i < count; i++) {
                assertArrayEquals(expected[i], Arrays.copyOfRange(out, i * 32, i * 32 + 32), "leaf " + n + " hash " + i);
            }
        }
    }

    @Test
    void appendingASubtreeRootEqualsAppendingItsLeavesAndEmitsTheLeafPathsTopHashes() {
        List<byte[]> leaves = TestTrees.syntheticLeaves(96);
        NaiveMerkle naive = new NaiveMerkle(leaves);
        CompactRange oneByOne = new CompactRange();
        CompactRange bySubtree = new CompactRange();
        byte[] leafStored = new byte[64 * 32];
        byte[] subtreeStored = new byte[64 * 32];
        // Leaves 0..31 one by one in both, then subtrees of 8 leaves (sizes 32, 40, …, all multiples of 8).
        for (int i = 0; i < 32; i++) {
            oneByOne.appendData(leaves.get(i), 0, leaves.get(i).length);
            bySubtree.appendData(leaves.get(i), 0, leaves.get(i).length);
        }
        for (int from = 32; from < 96; from += 8) {
            int leafCount = 0;
            for (int i = from; i < from + 8; i++) {
                leafCount = oneByOne.appendLeafHash(Rfc9162Hasher.leafHash(leaves.get(i)), 0, leafStored, 0);
            }
            int count = bySubtree.appendSubtree(naive.mth(from, from + 8), 0, 3, subtreeStored, 0);
            assertEquals(from + 8, bySubtree.size());
            assertArrayEquals(oneByOne.root(), bySubtree.root(), "size " + (from + 8));
            // The last leaf of the subtree emits levels 0..; the subtree emits levels 3.. of the same path.
            assertEquals(leafCount - 3, count, "subtree at " + from);
            assertArrayEquals(Arrays.copyOfRange(leafStored, 3 * 32, leafCount * 32), Arrays.copyOf(subtreeStored, count * 32));
        }
        assertArrayEquals(naive.mth(0, 96), bySubtree.root());
    }

    @Test
    void subtreeThatDoesNotStartAtAMultipleOfItsSizeIsRefused() {
        CompactRange range = new CompactRange();
        range.appendLeafHash(Rfc9162Hasher.leafHash(new byte[] {1}));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> range.appendSubtree(new byte[32], 0, 1, null, 0));
        assertEquals(1, range.size());
    }

    @Test
    void resumesFromStoredHashesAndKeepsAppending() {
        List<byte[]> leaves = TestTrees.syntheticLeaves(77);
        InMemoryHashStore store = TestTrees.store(leaves.subList(0, 50));
        CompactRange resumed = CompactRange.resume(50, store);
        assertArrayEquals(Tlog.treeHash(50, store), resumed.root());
        for (byte[] leaf : leaves.subList(50, 77)) {
            resumed.appendData(leaf, 0, leaf.length);
        }
        assertArrayEquals(new NaiveMerkle(leaves).mth(0, 77), resumed.root());
    }

    @Test
    void copyIsIndependentOfTheOriginal() {
        CompactRange a = new CompactRange();
        for (byte[] leaf : TestTrees.syntheticLeaves(5)) {
            a.appendData(leaf, 0, leaf.length);
        }
        CompactRange b = a.copy();
        byte[] before = a.root();
        b.appendLeafHash(Rfc9162Hasher.leafHash(new byte[] {1}));
        assertArrayEquals(before, a.root());
        assertFalse(Arrays.equals(before, b.root()));
        byte[] out = new byte[40];
        a.rootInto(out, 8);
        assertArrayEquals(before, Arrays.copyOfRange(out, 8, 40));
    }
}
