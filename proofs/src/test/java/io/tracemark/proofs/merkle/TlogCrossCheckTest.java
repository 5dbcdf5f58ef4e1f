package io.tracemark.proofs.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Exhaustive cross-checks of the stored-hash prover against the naive RFC 9162 definitions. */
class TlogCrossCheckTest {
    private static final int MAX = 100;

    private static List<byte[]> randomLeaves(int n, long seed) {
        Random rnd = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[rnd.nextInt(40)];
            rnd.nextBytes(b);
            out.add(b);
        }
        return out;
    }

    @Test
    void inclusionProofsEqualNaivePathForAllLeavesOfAllTreesUpTo100() {
        List<byte[]> leaves = randomLeaves(MAX, 1);
        InMemoryHashStore store = TestTrees.store(leaves);
        NaiveMerkle naive = new NaiveMerkle(leaves);
        for (int t = 1; t <= MAX; t++) {
            byte[] root = Tlog.treeHash(t, store);
            assertArrayEquals(naive.mth(0, t), root, "root of size " + t);
            for (int n = 0; n < t; n++) {
                byte[][] proof = Tlog.proveRecord(t, n, store);
                List<byte[]> expected = naive.path(n, 0, t);
                assertEquals(expected.size(), proof.length, "length " + n + "/" + t);
                assertEquals(Rfc9162Verifier.inclusionProofSize(n, t), proof.length);
                for (int i = 0; i < proof.length; i++) {
                    assertArrayEquals(expected.get(i), proof[i], "hash " + i + " of " + n + "/" + t);
                }
                Tlog.checkRecord(proof, t, root, n, Rfc9162Hasher.leafHash(leaves.get(n)));
            }
        }
    }

    @Test
    void consistencyProofsEqualNaiveProofForAllSizePairsUpTo100() {
        List<byte[]> leaves = randomLeaves(MAX, 2);
        InMemoryHashStore store = TestTrees.store(leaves);
        NaiveMerkle naive = new NaiveMerkle(leaves);
        for (int t = 1; t <= MAX; t++) {
            byte[] th = naive.mth(0, t);
            for (int n = 1; n <= t; n++) {
                byte[][] proof = Tlog.proveTree(t, n, store);
                List<byte[]> expected = n == t ? List.of() : naive.proof(n, t);
                assertEquals(expected.size(), proof.length, "length " + n + "->" + t);
                if (n < t) {
                    assertEquals(Rfc9162Verifier.consistencyProofSize(n, t), proof.length);
                }
                for (int i = 0; i < proof.length; i++) {
                    assertArrayEquals(expected.get(i), proof[i], "hash " + i + " of " + n + "->" + t);
                }
                Tlog.checkTree(proof, t, th, n, naive.mth(0, n));
            }
        }
    }

    @Test
    void emptyTreeIsConsistentWithEveryTreeAndHasTheSha256OfNothingAsRoot() {
        List<byte[]> leaves = randomLeaves(5, 3);
        InMemoryHashStore store = TestTrees.store(leaves);
        byte[] empty = Rfc9162Hasher.emptyRoot();
        assertArrayEquals(empty, Tlog.treeHash(0, store));
        assertEquals(0, Tlog.proveTree(5, 0, store).length);
        Tlog.checkTree(new byte[0][], 5, Tlog.treeHash(5, store), 0, empty);
        Tlog.checkTree(new byte[0][], 0, empty, 0, empty);
    }

    @Test
    void largeRandomTreesAgreeAcrossCompactRangeStoreAndProofs() {
        Random rnd = new Random(4);
        InMemoryHashStore store = new InMemoryHashStore();
        CompactRange range = new CompactRange();
        int target = 20_000;
        List<byte[]> leafHashes = new ArrayList<>();
        for (int i = 0; i < target; i++) {
            byte[] data = new byte[32];
            rnd.nextBytes(data);
            byte[] lh = Rfc9162Hasher.leafHash(data);
            leafHashes.add(lh);
            store.appendLeafHash(lh);
            range.appendLeafHash(lh);
        }
        byte[] root = range.root();
        assertArrayEquals(root, Tlog.treeHash(target, store));
        for (int k = 0; k < 200; k++) {
            int n = rnd.nextInt(target);
            Tlog.checkRecord(Tlog.proveRecord(target, n, store), target, root, n, leafHashes.get(n));
            int old = 1 + rnd.nextInt(target);
            Tlog.checkTree(Tlog.proveTree(target, old, store), target, root, old, Tlog.treeHash(old, store));
        }
    }
}
