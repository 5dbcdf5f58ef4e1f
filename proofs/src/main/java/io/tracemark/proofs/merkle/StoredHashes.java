package io.tracemark.proofs.merkle;

/**
 * Dense, append-only layout of every complete subtree hash of a log, as used by
 * golang.org/x/mod/sumdb/tlog (Crosby &amp; Wallach §3.3).
 *
 * <p>When leaf {@code n} is appended, its leaf hash is stored followed by the hash of every
 * perfect subtree that leaf completes, lowest level first. Storage is therefore a plain sequence
 * whose index for any node can be computed arithmetically, and which never rewrites old entries.
 */
public final class StoredHashes {
    /** Largest leaf count handled; keeps every index computation inside a signed long. */
    static final long MAX_LEAVES = 1L << 62;

    private StoredHashes() {
    }

    /**
     * Returns the storage position of perfect subtree (level, n) in the sumdb/tlog layout.
     *
     * @throws IllegalArgumentException if the node is negative or beyond the supported tree size
     */
    public static long storedHashIndex(int level, long n) {
        if (level < 0 || level > 62 || n < 0 || n >= (MAX_LEAVES >>> level)) {
            throw new IllegalArgumentException("node out of range: (" + level + ", " + n + ")");
        }
        // The node is written right after the leaf that completes it, i.e. its rightmost leaf,
        // offset by one slot per level of merges that leaf triggered below it.
        long lastLeaf = ((n + 1) << level) - 1;
        return leafStoredIndex(lastLeaf) + level;
    }

    /**
     * Inverts {@link #storedHashIndex}: returns the node stored at {@code index}.
     *
     * @throws IllegalArgumentException if the index is negative or out of range
     */
    public static NodeId splitStoredHashIndex(long index) {
        if (index < 0 || index >= storedHashCount(MAX_LEAVES)) {
            throw new IllegalArgumentException("stored hash index out of range: " + index);
        }
        // leafStoredIndex(m) <= 2m, so the leaf that wrote this slot is at least index/2 and
        // at most log2(index) further right.
        long leaf = index / 2;
        while (leafStoredIndex(leaf + 1) <= index) {
            leaf++;
        }
        int level = (int) (index - leafStoredIndex(leaf));
        return new NodeId(level, leaf >>> level);
    }

    /** Returns how many hashes are stored for a tree with {@code n} leaves. */
    public static long storedHashCount(long n) {
        if (n < 0 || n > MAX_LEAVES) {
            throw new IllegalArgumentException("tree size out of range: " + n);
        }
        return leafStoredIndex(n);
    }

    /**
     * Returns the hashes to store when appending leaf {@code n} with the given leaf hash, to be
     * written starting at {@code storedHashIndex(0, n)}: the leaf hash, then each completed subtree.
     *
     * <p>Reads at most log2(n) earlier hashes through one {@link HashReader} call.
     */
    public static byte[][] storedHashes(long n, byte[] leafHash, HashReader reader) {
        Hashes.requireHash(leafHash, "leaf hash");
        if (n < 0 || n >= MAX_LEAVES) {
            throw new IllegalArgumentException("leaf index out of range: " + n);
        }
        int completed = Long.numberOfTrailingZeros(~n);
        long[] siblings = new long[completed];
        for (int level = 0; level < completed; level++) {
            // Higher levels sit earlier in storage; keep the batch ascending for the reader.
            siblings[completed - 1 - level] = storedHashIndex(level, (n >>> level) - 1);
        }
        byte[][] old = completed == 0 ? new byte[0][] : read(reader, siblings);
        byte[][] out = new byte[completed + 1][];
        out[0] = leafHash.clone();
        for (int level = 0; level < completed; level++) {
            out[level + 1] = Rfc9162Hasher.nodeHash(old[completed - 1 - level], out[level]);
        }
        return out;
    }

    /**
     * Returns the stored-hash indexes of the perfect subtrees that exactly cover leaves [lo, hi),
     * largest (leftmost) first; MTH(D[lo:hi]) folds them right to left (RFC 9162 §2.1.1).
     *
     * <p>{@code lo} must be aligned as it is for every range produced by the RFC 9162 recursion.
     */
    public static long[] subtreeIndexes(long lo, long hi) {
        if (lo < 0 || hi < lo || hi > MAX_LEAVES) {
            throw new IllegalArgumentException("invalid leaf range [" + lo + ", " + hi + ")");
        }
        // Aligned pieces are distinct, decreasing powers of two, one per set bit of the length.
        long[] out = new long[Long.bitCount(hi - lo)];
        int count = 0;
        while (lo < hi) {
            long size = Long.highestOneBit(hi - lo);
            if ((lo & (size - 1)) != 0) {
                throw new IllegalArgumentException("leaf range [" + lo + ", " + hi + ") is not subtree-aligned");
            }
            int level = Long.numberOfTrailingZeros(size);
            out[count++] = storedHashIndex(level, lo >>> level);
            lo += size;
        }
        return out;
    }

    /** Reads hashes and checks the reader honoured the contract. */
    static byte[][] read(HashReader reader, long[] indexes) {
        byte[][] hashes = reader.readHashes(indexes);
        if (hashes == null || hashes.length != indexes.length) {
            throw new IllegalStateException("hash reader returned "
                    + (hashes == null ? "null" : hashes.length + " hashes") + " for " + indexes.length + " indexes");
        }
        for (int i = 0; i < hashes.length; i++) {
            if (hashes[i] == null || hashes[i].length != Rfc9162Hasher.HASH_SIZE) {
                throw new IllegalStateException("hash reader returned a malformed hash for index " + indexes[i]);
            }
        }
        return hashes;
    }

    /** Folds subtree hashes right to left into MTH of the range they cover (RFC 9162 §2.1.1). */
    static byte[] fold(byte[][] hashes, int from, int count) {
        byte[] h = hashes[from + count - 1].clone();
        for (int i = from + count - 2; i >= from; i--) {
            h = Rfc9162Hasher.nodeHash(hashes[i], h);
        }
        return h;
    }

    /** Sum of n, n/2, n/4, ... = 2n - popcount(n): slots used by leaves [0, n) and their subtrees. */
    private static long leafStoredIndex(long n) {
        return 2 * n - Long.bitCount(n);
    }
}
