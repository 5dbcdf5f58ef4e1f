package io.tracemark.chain.tiles;

import io.tracemark.proofs.merkle.HashReader;
import io.tracemark.proofs.merkle.NodeId;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.merkle.StoredHashes;

/**
 * Serves any complete subtree hash of a tree of fixed size from a {@link TileStore}, so proofs can
 * be generated with {@code Tlog} (RFC 9162 §2.1.3/§2.1.4): a node at level 8·L + k is folded from
 * its 2^k descendants at tile level L.
 */
public final class TreeHashReader implements HashReader {
    private static final int H = Rfc9162Hasher.HASH_SIZE;

    private final TileStore store;
    private final long size;
    private final Rfc9162Hasher hasher = new Rfc9162Hasher();

    /** A reader bounded to a tree of {@code size} leaves, whose data must be flushed in {@code store}. */
    public TreeHashReader(TileStore store, long size) {
        this.store = store;
        this.size = size;
    }

    @Override
    public byte[][] readHashes(long[] indexes) {
        byte[][] out = new byte[indexes.length][];
        for (int i = 0; i < indexes.length; i++) {
            out[i] = node(StoredHashes.splitStoredHashIndex(indexes[i]));
        }
        return out;
    }

    /** Returns the hash of the complete subtree {@code id}. */
    public byte[] node(NodeId id) {
        int level = id.level();
        if (((id.index() + 1) << level) > size) {
            throw new IllegalArgumentException("node " + id + " is not complete in a tree of size " + size);
        }
        int tileLevel = level / TileStore.TILE_HEIGHT;
        int k = level % TileStore.TILE_HEIGHT;
        int n = 1 << k;
        byte[] hashes = store.readLevel(tileLevel, id.index() << k, n);
        for (; n > 1; n >>= 1) {
            for (int j = 0; j < n / 2; j++) {
                hasher.nodeHashInto(hashes, 2 * j * H, hashes, (2 * j + 1) * H, hashes, j * H);
            }
        }
        byte[] h = new byte[H];
        System.arraycopy(hashes, 0, h, 0, H);
        return h;
    }
}
