package io.tracemark.proofs.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every way of tampering with a proof must be rejected with the precise error code. */
class ProofMutationTest {
    private static final int N = 33;
    private static final List<byte[]> LEAVES = TestTrees.syntheticLeaves(N);
    private static final InMemoryHashStore STORE = TestTrees.store(LEAVES);

    private static ProofErrorCode codeOf(Executable e) {
        return assertThrows(ProofException.class, e).errorCode();
    }

    private static byte[][] flip(byte[][] proof, int element, int bytePos) {
        byte[][] copy = Arrays.stream(proof).map(byte[]::clone).toArray(byte[][]::new);
        copy[element][bytePos] ^= 0x01;
        return copy;
    }

    @Test
    void rejectsInclusionProofWithFlippedByte() {
        for (int t = 2; t <= N; t++) {
            byte[] root = Tlog.treeHash(t, STORE);
            for (int n = 0; n < t; n++) {
                byte[][] proof = Tlog.proveRecord(t, n, STORE);
                byte[] leaf = Rfc9162Hasher.leafHash(LEAVES.get(n));
                for (int e = 0; e < proof.length; e++) {
                    for (int pos : new int[] {0, 17, 31}) {
                        byte[][] bad = flip(proof, e, pos);
                        int tt = t;
                        int nn = n;
                        assertEquals(ProofErrorCode.INCLUSION_ROOT_MISMATCH,
                                codeOf(() -> Tlog.checkRecord(bad, tt, root, nn, leaf)));
                    }
                }
            }
        }
    }

    @Test
    void rejectsInclusionProofWithWrongLengthOrIndexOrLeaf() {
        int t = 21;
        int n = 6;
        byte[] root = Tlog.treeHash(t, STORE);
        byte[][] proof = Tlog.proveRecord(t, n, STORE);
        byte[] leaf = Rfc9162Hasher.leafHash(LEAVES.get(n));
        byte[][] shorter = Arrays.copyOf(proof, proof.length - 1);
        byte[][] longer = Arrays.copyOf(proof, proof.length + 1);
        longer[proof.length] = root;

        assertEquals(ProofErrorCode.INCLUSION_PROOF_LENGTH, codeOf(() -> Tlog.checkRecord(shorter, t, root, n, leaf)));
        assertEquals(ProofErrorCode.INCLUSION_PROOF_LENGTH, codeOf(() -> Tlog.checkRecord(longer, t, root, n, leaf)));
        assertEquals(ProofErrorCode.INCLUSION_INDEX_OUT_OF_RANGE, codeOf(() -> Tlog.checkRecord(proof, t, root, t, leaf)));
        assertEquals(ProofErrorCode.INCLUSION_INDEX_OUT_OF_RANGE, codeOf(() -> Tlog.checkRecord(proof, t, root, -1, leaf)));
        assertEquals(ProofErrorCode.INCLUSION_ROOT_MISMATCH, codeOf(() -> Tlog.checkRecord(proof, t, root, n + 1, leaf)));
        assertEquals(ProofErrorCode.INCLUSION_ROOT_MISMATCH,
                codeOf(() -> Tlog.checkRecord(proof, t, root, n, Rfc9162Hasher.leafHash(LEAVES.get(n + 1)))));
        byte[] shortHash = new byte[31];
        assertEquals(ProofErrorCode.HASH_MALFORMED, codeOf(() -> Tlog.checkRecord(proof, t, root, n, shortHash)));
        assertEquals(ProofErrorCode.HASH_MALFORMED, codeOf(() -> Tlog.checkRecord(proof, t, shortHash, n, leaf)));
    }

    @Test
    void rootMismatchMessageNamesExpectedAndComputedHex() {
        byte[] root = Tlog.treeHash(8, STORE);
        byte[] wrongRoot = root.clone();
        wrongRoot[0] ^= 1;
        ProofException e = assertThrows(ProofException.class, () -> Tlog.checkRecord(
                Tlog.proveRecord(8, 3, STORE), 8, wrongRoot, 3, Rfc9162Hasher.leafHash(LEAVES.get(3))));
        assertEquals("inclusion.root.mismatch", e.code());
        assertTrue(e.getMessage().contains("expected " + Hashes.hex(wrongRoot)), e.getMessage());
        assertTrue(e.getMessage().contains("computed " + Hashes.hex(root)), e.getMessage());
    }

    @Test
    void rejectsConsistencyProofWithFlippedByte() {
        for (int t = 2; t <= N; t++) {
            byte[] th = Tlog.treeHash(t, STORE);
            for (int n = 1; n < t; n++) {
                byte[] h = Tlog.treeHash(n, STORE);
                byte[][] proof = Tlog.proveTree(t, n, STORE);
                for (int e = 0; e < proof.length; e++) {
                    byte[][] bad = flip(proof, e, 5);
                    int tt = t;
                    int nn = n;
                    assertEquals(ProofErrorCode.CONSISTENCY_ROOT_MISMATCH,
                            codeOf(() -> Tlog.checkTree(bad, tt, th, nn, h)));
                }
            }
        }
    }

    @Test
    void rejectsConsistencyProofWithWrongShapeSizesOrRoots() {
        int t = 29;
        int n = 11;
        byte[] th = Tlog.treeHash(t, STORE);
        byte[] h = Tlog.treeHash(n, STORE);
        byte[][] proof = Tlog.proveTree(t, n, STORE);
        byte[][] shorter = Arrays.copyOf(proof, proof.length - 1);
        byte[][] longer = Arrays.copyOf(proof, proof.length + 1);
        longer[proof.length] = h;

        assertEquals(ProofErrorCode.CONSISTENCY_PROOF_LENGTH, codeOf(() -> Tlog.checkTree(shorter, t, th, n, h)));
        assertEquals(ProofErrorCode.CONSISTENCY_PROOF_LENGTH, codeOf(() -> Tlog.checkTree(longer, t, th, n, h)));
        assertEquals(ProofErrorCode.CONSISTENCY_PROOF_LENGTH, codeOf(() -> Tlog.checkTree(new byte[0][], t, th, n, h)));
        assertEquals(ProofErrorCode.CONSISTENCY_SIZE_INVALID, codeOf(() -> Tlog.checkTree(proof, n, h, t, th)));
        assertEquals(ProofErrorCode.CONSISTENCY_ROOT_MISMATCH, codeOf(() -> Tlog.checkTree(proof, t, h, n, th)));
        assertEquals(ProofErrorCode.CONSISTENCY_ROOT_MISMATCH, codeOf(() -> Tlog.checkTree(proof, t, th, n, th)));
        assertEquals(ProofErrorCode.CONSISTENCY_ROOT_MISMATCH, codeOf(() -> Tlog.checkTree(proof, t, h, n, h)));
        assertEquals(ProofErrorCode.CONSISTENCY_PROOF_LENGTH, codeOf(() -> Tlog.checkTree(proof, t, th, t, th)));
        assertEquals(ProofErrorCode.CONSISTENCY_ROOT_MISMATCH, codeOf(() -> Tlog.checkTree(new byte[0][], t, th, t, h)));
        assertEquals(ProofErrorCode.CONSISTENCY_ROOT_MISMATCH, codeOf(() -> Tlog.checkTree(new byte[0][], t, th, 0, h)));
    }

    @Test
    void neverAcceptsProofsForNeighbouringIndexesOrSizes() {
        // The transparency-dev corruption set: every neighbour of a valid statement is false.
        for (int t = 1; t <= 20; t++) {
            byte[] root = Tlog.treeHash(t, STORE);
            for (int n = 0; n < t; n++) {
                byte[][] proof = Tlog.proveRecord(t, n, STORE);
                byte[] leaf = Rfc9162Hasher.leafHash(LEAVES.get(n));
                for (long[] probe : new long[][] {{n - 1, t}, {n + 1, t}, {n ^ 2, t}, {n, 2L * t}, {n, t / 2}}) {
                    if (probe[0] == n && probe[1] == t) {
                        continue;
                    }
                    assertThrows(ProofException.class, () -> Tlog.checkRecord(proof, probe[1], root, probe[0], leaf),
                            "accepted " + probe[0] + "/" + probe[1] + " using proof for " + n + "/" + t);
                }
            }
            for (int n = 1; n < t; n++) {
                byte[][] proof = Tlog.proveTree(t, n, STORE);
                byte[] h = Tlog.treeHash(n, STORE);
                for (long[] probe : new long[][] {{n - 1, t}, {n + 1, t}, {n ^ 2, t}, {n, 2L * t}, {n, t / 2}}) {
                    if ((probe[0] == n && probe[1] == t)) {
                        continue;
                    }
                    assertThrows(ProofException.class, () -> Tlog.checkTree(proof, probe[1], root, probe[0], h),
                            "accepted " + probe[0] + "->" + probe[1] + " using proof for " + n + "->" + t);
                }
            }
        }
    }
}
