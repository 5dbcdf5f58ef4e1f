package io.tracemark.proofs.tiles;

import io.tracemark.proofs.merkle.HashReader;
import io.tracemark.proofs.merkle.NodeId;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.merkle.StoredHashes;

import java.util.HashMap;
import java.util.Map;

/**
 * A {@link HashReader} for proving many leaves of one tree: hashes at tile-bottom levels (multiples of
 * {@link Tiles#HEIGHT}) come from the underlying reader, and every hash in between is computed once from its two
 * children and remembered. A tile stores only its bottom level, so each interior hash read straight from a tile
 * re-hashes up to 2<sup>7</sup> leaves of it; the inclusion proofs of a block of contiguous leaves ask for
 * overlapping interior hashes, which this computes once each (hashing work proportional to the block, not to
 * block size × tile width). The values are those of RFC 9162 §2.1.1: MTH(D[k:k+2^L]) for stored hash (L, k).
 *
 * <p>Not thread-safe; use one per round of proofs under one tree size.
 */
public final class SubtreeMemo implements HashReader {
    private final HashReader tiles;
    private final Map<Long, byte[]> known = new HashMap<>();

    /** Remembers hashes read from {@code tiles} (e.g. a {@link TileHashReader} of the tree). */
    public SubtreeMemo(HashReader tiles) {
        this.tiles = tiles;
    }

    @Override
    public byte[][] readHashes(long[] indexes) {
        byte[][] out = new byte[indexes.length][];
        for (int i = 0; i < indexes.length; i++) {
            NodeId node = StoredHashes.splitStoredHashIndex(indexes[i]);
            out[i] = hash(node.level(), node.index(), indexes[i]);
        }
        return out;
    }

    private byte[] hash(int level, long index, long stored) {
        byte[] h = known.get(stored);
        if (h != null) {
            return h;
        }
        if (level % Tiles.HEIGHT == 0) {
            h = tiles.readHashes(new long[] {stored})[0];
        } else {
            long left = StoredHashes.storedHashIndex(level - 1, 2 * index);
            long right = StoredHashes.storedHashIndex(level - 1, 2 * index + 1);
            h = Rfc9162Hasher.nodeHash(hash(level - 1, 2 * index, left), hash(level - 1, 2 * index + 1, right));
        }
        known.put(stored, h);
        return h;
    }
}
