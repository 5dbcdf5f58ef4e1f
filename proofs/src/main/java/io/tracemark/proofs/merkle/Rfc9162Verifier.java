package io.tracemark.proofs.merkle;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;

/**
 * Verifier-side proof checks exactly as written in RFC 9162 §2.1.3.2 and §2.1.4.2.
 *
 * <p>These take proofs from untrusted sources and need nothing but the proof, sizes and hashes.
 * Before running the RFC steps the expected proof length is checked so that truncated or padded
 * proofs get a precise error code instead of a generic root mismatch.
 */
public final class Rfc9162Verifier {
    private Rfc9162Verifier() {
    }

    /**
     * Returns the number of hashes in an inclusion proof for {@code index} in a tree of {@code size}
     * (RFC 9162 §2.1.3.1).
     */
    public static int inclusionProofSize(long index, long size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("index " + index + " not in tree of size " + size);
        }
        // Levels where the paths to index and to the last leaf diverge each contribute a sibling;
        // above that, every left-hand perfect subtree on the shared path contributes one more.
        int inner = 64 - Long.numberOfLeadingZeros(index ^ (size - 1));
        return inner + Long.bitCount(index >>> inner);
    }

    /**
     * Returns the number of hashes in a consistency proof from {@code first} to {@code second},
     * for 0 &lt; first &lt; second (RFC 9162 §2.1.4.1).
     */
    public static int consistencyProofSize(long first, long second) {
        if (first <= 0 || second <= first) {
            throw new IllegalArgumentException("need 0 < first < second, got " + first + ", " + second);
        }
        int inner = 64 - Long.numberOfLeadingZeros((first - 1) ^ (second - 1));
        int border = Long.bitCount((first - 1) >>> inner);
        int shift = Long.numberOfTrailingZeros(first);
        // When first is a power of two its root is the verifier's own first_hash, not a proof node.
        int seed = first == (1L << shift) ? 0 : 1;
        return seed + (inner - shift) + border;
    }

    /**
     * Verifies that {@code leafHash} is leaf {@code leafIndex} of the tree of {@code treeSize} with
     * root {@code rootHash} (RFC 9162 §2.1.3.2).
     *
     * @throws ProofException {@code inclusion.index.out_of_range}, {@code inclusion.proof.length},
     *     {@code inclusion.root.mismatch} or {@code hash.malformed}
     */
    public static void verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, byte[][] path,
            byte[] rootHash) {
        Hashes.requireHash(rootHash, "root hash");
        byte[] r = rootFromInclusionProof(leafIndex, treeSize, leafHash, path);
        if (!Hashes.equal(r, rootHash)) {
            throw ProofException.mismatch(ProofErrorCode.INCLUSION_ROOT_MISMATCH, "inclusion root", rootHash, r);
        }
    }

    /**
     * Runs RFC 9162 §2.1.3.2 steps 1–4 and returns the root they compute, for callers that compare
     * the root against a signed tree head themselves.
     *
     * @throws ProofException {@code inclusion.index.out_of_range}, {@code inclusion.proof.length}
     *     or {@code hash.malformed}
     */
    public static byte[] rootFromInclusionProof(long leafIndex, long treeSize, byte[] leafHash, byte[][] path) {
        Hashes.requireHash(leafHash, "leaf hash");
        requireHashes(path, "inclusion proof");
        // Step 1.
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new ProofException(ProofErrorCode.INCLUSION_INDEX_OUT_OF_RANGE,
                    "leaf index " + leafIndex + " is not below tree size " + treeSize);
        }
        int expected = inclusionProofSize(leafIndex, treeSize);
        if (path.length != expected) {
            throw new ProofException(ProofErrorCode.INCLUSION_PROOF_LENGTH, "inclusion proof for leaf "
                    + leafIndex + " in tree of size " + treeSize + " has " + path.length
                    + " hashes, expected " + expected);
        }
        // Step 2.
        long fn = leafIndex;
        long sn = treeSize - 1;
        // Step 3.
        byte[] r = leafHash.clone();
        // Step 4.
        for (byte[] p : path) {
            if (sn == 0) { // 4.a
                throw new ProofException(ProofErrorCode.INCLUSION_PROOF_LENGTH, "inclusion proof too long");
            }
            if ((fn & 1) == 1 || fn == sn) { // 4.b
                r = Rfc9162Hasher.nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                r = Rfc9162Hasher.nodeHash(r, p);
            }
            fn >>>= 1; // 4.c
            sn >>>= 1;
        }
        // Step 5, first half: the root comparison is left to the caller.
        if (sn != 0) {
            throw new ProofException(ProofErrorCode.INCLUSION_PROOF_LENGTH, "inclusion proof too short");
        }
        return r;
    }

    /**
     * Verifies that the tree of {@code second} leaves with root {@code secondHash} extends the tree
     * of {@code first} leaves with root {@code firstHash} (RFC 9162 §2.1.4.2).
     *
     * <p>RFC 9162 defines the algorithm for 0 &lt; first &lt; second. The degenerate cases are
     * answered directly: equal sizes need an empty proof and equal roots, and the empty tree (whose
     * root must be SHA-256 of the empty string) is a prefix of every tree with an empty proof.
     *
     * @throws ProofException {@code consistency.size.invalid}, {@code consistency.proof.length},
     *     {@code consistency.root.mismatch} or {@code hash.malformed}
     */
    public static void verifyConsistency(long first, long second, byte[] firstHash, byte[] secondHash,
            byte[][] path) {
        Hashes.requireHash(firstHash, "first root hash");
        Hashes.requireHash(secondHash, "second root hash");
        requireHashes(path, "consistency proof");
        if (first < 0 || second < first) {
            throw new ProofException(ProofErrorCode.CONSISTENCY_SIZE_INVALID,
                    "cannot prove tree size " + first + " consistent with smaller size " + second);
        }
        if (first == second || first == 0) {
            if (path.length != 0) {
                throw new ProofException(ProofErrorCode.CONSISTENCY_PROOF_LENGTH, "consistency proof from size "
                        + first + " to " + second + " must be empty, has " + path.length + " hashes");
            }
            byte[] empty = Rfc9162Hasher.emptyRoot();
            if (first == 0 && !Hashes.equal(firstHash, empty)) {
                throw ProofException.mismatch(ProofErrorCode.CONSISTENCY_ROOT_MISMATCH, "empty tree root",
                        empty, firstHash);
            }
            if (first == second && !Hashes.equal(firstHash, secondHash)) {
                throw ProofException.mismatch(ProofErrorCode.CONSISTENCY_ROOT_MISMATCH, "root of equal-size tree",
                        firstHash, secondHash);
            }
            return;
        }
        int expected = consistencyProofSize(first, second);
        if (path.length != expected) {
            throw new ProofException(ProofErrorCode.CONSISTENCY_PROOF_LENGTH, "consistency proof from size "
                    + first + " to " + second + " has " + path.length + " hashes, expected " + expected);
        }
        // Step 1 cannot trigger: a non-empty proof is always expected for 0 < first < second.
        // Step 2.
        byte[][] c = path;
        if ((first & (first - 1)) == 0) {
            c = new byte[path.length + 1][];
            c[0] = firstHash;
            System.arraycopy(path, 0, c, 1, path.length);
        }
        // Step 3.
        long fn = first - 1;
        long sn = second - 1;
        // Step 4.
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        // Step 5.
        byte[] fr = c[0].clone();
        byte[] sr = c[0].clone();
        // Step 6.
        for (int i = 1; i < c.length; i++) {
            if (sn == 0) { // 6.a
                throw new ProofException(ProofErrorCode.CONSISTENCY_PROOF_LENGTH, "consistency proof too long");
            }
            if ((fn & 1) == 1 || fn == sn) { // 6.b
                fr = Rfc9162Hasher.nodeHash(c[i], fr);
                sr = Rfc9162Hasher.nodeHash(c[i], sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                sr = Rfc9162Hasher.nodeHash(sr, c[i]);
            }
            fn >>>= 1; // 6.c
            sn >>>= 1;
        }
        // Step 7.
        if (sn != 0) {
            throw new ProofException(ProofErrorCode.CONSISTENCY_PROOF_LENGTH, "consistency proof too short");
        }
        if (!Hashes.equal(fr, firstHash)) {
            throw ProofException.mismatch(ProofErrorCode.CONSISTENCY_ROOT_MISMATCH, "first root", firstHash, fr);
        }
        if (!Hashes.equal(sr, secondHash)) {
            throw ProofException.mismatch(ProofErrorCode.CONSISTENCY_ROOT_MISMATCH, "second root", secondHash, sr);
        }
    }

    private static void requireHashes(byte[][] path, String what) {
        if (path == null) {
            throw new ProofException(ProofErrorCode.HASH_MALFORMED, what + " is missing");
        }
        for (int i = 0; i < path.length; i++) {
            Hashes.requireHash(path[i], what + " hash " + i);
        }
    }
}
