package io.tracemark.chain.log;

import io.tracemark.proofs.ledger.LeafBatchCodec;
import io.tracemark.proofs.merkle.Rfc9162Hasher;

/**
 * What another thread can hash of a leaves record ahead of the apply thread: every digest's RFC 9162 §2.1.1 leaf
 * hash and, for the position the record is expected to start at, the root of every whole tile's worth of its leaves
 * (2^8 leaves starting at a multiple of 2^8), so the apply thread appends those as subtrees instead of hashing
 * their 255 inner nodes itself. The expectation is that no earlier leaf is skipped as a duplicate; when it does
 * not hold ({@link LogEngine} checks {@code firstLeaf} and every skip), the roots are not used, never trusted.
 *
 * @param leafHashes   32 bytes per digest, in record order
 * @param firstLeaf    the tree size the roots were computed for, or -1 for none
 * @param subtreeRoots 32 bytes per whole subtree of {@link #SUBTREE_LEAVES} aligned leaves from {@code firstLeaf}, or null
 */
public record LeafHashes(byte[] leafHashes, long firstLeaf, byte[] subtreeRoots) {
    /** Height of the precomputed subtrees: one tile (RFC 9162 nodes at tree level 8). */
    public static final int SUBTREE_HEIGHT = 8;
    /** Leaves per precomputed subtree. */
    public static final int SUBTREE_LEAVES = 1 << SUBTREE_HEIGHT;
    private static final int H = Rfc9162Hasher.HASH_SIZE;

    /** Leaf hashes alone (no subtree roots). */
    public static LeafHashes of(byte[] leafHashes) {
        return leafHashes == null ? null : new LeafHashes(leafHashes, -1, null);
    }

    /**
     * Leaves before the first subtree boundary at or after tree size {@code firstLeaf}: the record's leaves from
     * this position on fall in whole aligned subtrees (as far as the record has leaves).
     */
    static int head(long firstLeaf) {
        return (int) Math.floorMod(-firstLeaf, (long) SUBTREE_LEAVES);
    }

    /** Digests in a leaves record, 0 for any other record (a seal marker, or one apply() will skip as malformed). */
    public static int leafCount(byte[] value) {
        try {
            return LeafBatchCodec.type(value) == LeafBatchCodec.LEAVES ? LeafBatchCodec.leafCount(value) : 0;
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /**
     * Hashes a record expected to start at tree size {@code firstLeaf}; null for a record that is not a leaf batch
     * (apply() skips or handles it). Pure: runs on any thread with its own hasher.
     */
    public static LeafHashes compute(byte[] value, Rfc9162Hasher hasher, long firstLeaf) {
        byte[] leaves = LogEngine.leafHashes(value, hasher);
        if (leaves == null) {
            return null;
        }
        int n = leaves.length / H;
        int head = head(firstLeaf);
        int subtrees = n > head ? (n - head) / SUBTREE_LEAVES : 0;
        byte[] roots = new byte[subtrees * H];
        byte[] level = new byte[SUBTREE_LEAVES * H];
        for (int k = 0; k < subtrees; k++) {
            System.arraycopy(leaves, (head + k * SUBTREE_LEAVES) * H, level, 0, SUBTREE_LEAVES * H);
            // RFC 9162 §2.1.1 over a perfect subtree: hash pairs level by level, in place.
            for (int width = SUBTREE_LEAVES / 2; width >= 1; width /= 2) {
                for (int i = 0; i < width; i++) {
                    hasher.nodeHashInto(level, 2 * i * H, level, (2 * i + 1) * H, level, i * H);
                }
            }
            System.arraycopy(level, 0, roots, k * H, H);
        }
        return new LeafHashes(leaves, firstLeaf, roots);
    }
}
