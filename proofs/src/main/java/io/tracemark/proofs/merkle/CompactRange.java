package io.tracemark.proofs.merkle;

/**
 * Right edge of an append-only Merkle tree: one root per perfect subtree of the current size.
 *
 * <p>This is all that is needed to append leaves and compute MTH(D[0:n]) (RFC 9162 §2.1.1)
 * without storage reads: appending costs one leaf hash plus on average one node hash, and
 * nothing is allocated per leaf. Each append can also emit the hashes that {@link StoredHashes}
 * would persist for that leaf, so a ledger can build its tree and its storage in one pass.
 *
 * <p>Not thread-safe: confine an instance to the writer thread, or {@link #copy()} it.
 */
public final class CompactRange {
    private static final int H = Rfc9162Hasher.HASH_SIZE;

    private final Rfc9162Hasher hasher = new Rfc9162Hasher();
    // Slot i holds the i-th perfect subtree root from the left; slots beyond bitCount(size) are
    // scratch. 64 slots cover every size below 2^63 plus the leaf being merged in.
    private final byte[] nodes = new byte[64 * H];
    private long size;

    /** Creates the range of the empty tree. */
    public CompactRange() {
    }

    /**
     * Rebuilds the range for a tree of {@code size} leaves from its stored subtree hashes, so a
     * ledger can resume appending after restart.
     */
    public static CompactRange resume(long size, HashReader reader) {
        CompactRange r = new CompactRange();
        if (size < 0) {
            throw new IllegalArgumentException("negative tree size " + size);
        }
        if (size > 0) {
            byte[][] roots = StoredHashes.read(reader, StoredHashes.subtreeIndexes(0, size));
            for (int i = 0; i < roots.length; i++) {
                System.arraycopy(roots[i], 0, r.nodes, i * H, H);
            }
        }
        r.size = size;
        return r;
    }

    /** Returns the number of leaves appended so far. */
    public long size() {
        return size;
    }

    /** Appends a leaf given its RFC 9162 §2.1.1 leaf hash. */
    public void appendLeafHash(byte[] leafHash) {
        Hashes.requireHash(leafHash, "leaf hash");
        appendLeafHash(leafHash, 0, null, 0);
    }

    /**
     * Appends a leaf hash read from {@code src[off..off+32)} and, if {@code storedOut} is non-null,
     * writes the hashes {@link StoredHashes#storedHashes} would store for this leaf into it.
     *
     * @return number of 32-byte hashes written to {@code storedOut}: 1 + trailing ones of the old size
     */
    public int appendLeafHash(byte[] src, int off, byte[] storedOut, int storedOff) {
        int depth = Long.bitCount(size);
        System.arraycopy(src, off, nodes, depth * H, H);
        return mergeNewLeaf(depth, storedOut, storedOff);
    }

    /**
     * Appends {@code 2^height} leaves at once, given the root of the perfect subtree they form (RFC 9162 §2.1.1
     * MTH of those leaves) at {@code src[off..off+32)}: the same range as appending them one by one, with the
     * subtree's own node hashes computed elsewhere (e.g. on another thread). The tree size must be a multiple of
     * {@code 2^height}, so that the leaves form a subtree of the tree.
     *
     * @return number of 32-byte hashes written to {@code storedOut} (if non-null): the subtree root, then one per
     *         completed level above it, i.e. the nodes at levels {@code height}, {@code height + 1}, …
     */
    public int appendSubtree(byte[] src, int off, int height, byte[] storedOut, int storedOff) {
        if (height < 0 || height > 62 || (size & ((1L << height) - 1)) != 0) {
            throw new IllegalArgumentException("a subtree of height " + height + " cannot start at tree size " + size);
        }
        if (size + (1L << height) > StoredHashes.MAX_LEAVES) {
            throw new IllegalStateException("tree is full");
        }
        int depth = Long.bitCount(size);
        System.arraycopy(src, off, nodes, depth * H, H);
        if (storedOut != null) {
            System.arraycopy(nodes, depth * H, storedOut, storedOff, H);
        }
        // Each trailing one bit of the old size, counted from bit `height`, is a same-height subtree to merge.
        int merges = Long.numberOfTrailingZeros(~(size >>> height));
        for (int i = 0; i < merges; i++) {
            hasher.nodeHashInto(nodes, (depth - 1) * H, nodes, depth * H, nodes, (depth - 1) * H);
            depth--;
            if (storedOut != null) {
                System.arraycopy(nodes, depth * H, storedOut, storedOff + (i + 1) * H, H);
            }
        }
        size += 1L << height;
        return merges + 1;
    }

    /** Appends a leaf given its data, hashing it as SHA-256(0x00 ‖ data) (RFC 9162 §2.1.1). */
    public void appendData(byte[] data, int off, int len) {
        int depth = Long.bitCount(size);
        hasher.leafHashInto(data, off, len, nodes, depth * H);
        mergeNewLeaf(depth, null, 0);
    }

    /** Returns MTH(D[0:size]) (RFC 9162 §2.1.1); SHA-256("") for the empty tree. */
    public byte[] root() {
        byte[] out = new byte[H];
        rootInto(out, 0);
        return out;
    }

    /** Writes MTH(D[0:size]) to {@code out[off..off+32)} without allocating. */
    public void rootInto(byte[] out, int off) {
        int depth = Long.bitCount(size);
        if (depth == 0) {
            System.arraycopy(Rfc9162Hasher.emptyRoot(), 0, out, off, H);
            return;
        }
        System.arraycopy(nodes, (depth - 1) * H, out, off, H);
        for (int i = depth - 2; i >= 0; i--) {
            hasher.nodeHashInto(nodes, i * H, out, off, out, off);
        }
    }

    /** Returns an independent copy, e.g. to compute a root on another thread. */
    public CompactRange copy() {
        CompactRange c = new CompactRange();
        System.arraycopy(nodes, 0, c.nodes, 0, Long.bitCount(size) * H);
        c.size = size;
        return c;
    }

    private int mergeNewLeaf(int depth, byte[] storedOut, int storedOff) {
        if (size >= StoredHashes.MAX_LEAVES) {
            throw new IllegalStateException("tree is full");
        }
        if (storedOut != null) {
            System.arraycopy(nodes, depth * H, storedOut, storedOff, H);
        }
        // Each trailing one bit of the old size is a same-height subtree the new leaf completes.
        int merges = Long.numberOfTrailingZeros(~size);
        for (int i = 0; i < merges; i++) {
            hasher.nodeHashInto(nodes, (depth - 1) * H, nodes, depth * H, nodes, (depth - 1) * H);
            depth--;
            if (storedOut != null) {
                System.arraycopy(nodes, depth * H, storedOut, storedOff + (i + 1) * H, H);
            }
        }
        size++;
        return merges + 1;
    }
}
