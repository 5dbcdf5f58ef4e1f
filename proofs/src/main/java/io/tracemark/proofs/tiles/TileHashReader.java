package io.tracemark.proofs.tiles;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.merkle.HashReader;
import io.tracemark.proofs.merkle.Hashes;
import io.tracemark.proofs.merkle.StoredHashes;
import io.tracemark.proofs.merkle.Tlog;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link HashReader} over C2SP tlog-tiles that only returns hashes authenticated against a
 * trusted tree head, so proofs can be built from tiles fetched off an untrusted server.
 *
 * <p>The tiles on the tree's right edge ({@link Tiles#treeTiles}) are authenticated by
 * recomputing the tree head from them. Any other tile is full, and is authenticated by hashing it
 * and comparing with the entry its parent tile holds, recursively up to a right-edge tile.
 * Verified tiles are cached for the lifetime of the reader; not thread-safe.
 */
public final class TileHashReader implements HashReader {
    private static final int FULL_TILE_BYTES = Tiles.WIDTH * 32;

    private final long treeSize;
    private final byte[] treeHash;
    private final TileFetcher fetcher;
    private final Map<TilePath, byte[]> verified = new HashMap<>();
    private boolean edgeVerified;

    /**
     * Creates a reader for the tree of {@code treeSize} leaves whose root is {@code treeHash},
     * typically taken from a verified checkpoint.
     */
    public TileHashReader(long treeSize, byte[] treeHash, TileFetcher fetcher) {
        if (treeSize < 0) {
            throw new IllegalArgumentException("negative tree size " + treeSize);
        }
        this.treeSize = treeSize;
        this.treeHash = Hashes.requireHash(treeHash, "tree hash").clone();
        this.fetcher = fetcher;
    }

    /**
     * Returns authenticated stored hashes (C2SP tlog-tiles over RFC 9162 §2.1 hashes).
     *
     * @throws ProofException {@code tile.malformed} or {@code tile.hash.mismatch} if the fetched
     *     tiles do not match the trusted tree head
     * @throws IllegalArgumentException if an index is not a complete subtree of this tree
     */
    @Override
    public byte[][] readHashes(long[] indexes) {
        verifyEdge();
        byte[][] out = new byte[indexes.length][];
        for (int i = 0; i < indexes.length; i++) {
            TilePath tile = Tiles.tileForStoredHash(indexes[i], treeSize);
            out[i] = Tiles.hashFromTile(tile, verifiedTile(tile), indexes[i]);
        }
        return out;
    }

    /** Returns the authenticated bytes of a hash tile of this tree, fetching it if needed. */
    public byte[] tileData(TilePath tile) {
        verifyEdge();
        if (tile.entries() || Tiles.tileWidth(tile.level(), tile.index(), treeSize) != tile.width()) {
            throw new IllegalArgumentException(tile + " is not a hash tile of a tree of size " + treeSize);
        }
        return verifiedTile(tile).clone();
    }

    private void verifyEdge() {
        if (edgeVerified || treeSize == 0) {
            edgeVerified = true;
            return;
        }
        List<TilePath> edge = Tiles.treeTiles(treeSize);
        Map<TilePath, byte[]> pending = new HashMap<>();
        for (TilePath t : edge) {
            pending.put(t, fetch(t));
        }
        byte[] computed = Tlog.treeHash(treeSize, idx -> {
            byte[][] hs = new byte[idx.length][];
            for (int i = 0; i < idx.length; i++) {
                TilePath t = Tiles.tileForStoredHash(idx[i], treeSize);
                hs[i] = Tiles.hashFromTile(t, pending.get(t), idx[i]);
            }
            return hs;
        });
        if (!Hashes.equal(computed, treeHash)) {
            throw ProofException.mismatch(ProofErrorCode.TILE_HASH_MISMATCH,
                    "tree hash recomputed from right-edge tiles", treeHash, computed);
        }
        verified.putAll(pending);
        edgeVerified = true;
    }

    private byte[] verifiedTile(TilePath tile) {
        byte[] data = verified.get(tile);
        if (data != null) {
            return data;
        }
        // Every tile not on the right edge is full and is committed to by its parent tile.
        if (tile.isPartial()) {
            throw new IllegalStateException("partial tile " + tile + " should be on the verified right edge");
        }
        long parentIndex = tile.index() >>> Tiles.HEIGHT;
        int parentLevel = tile.level() + 1;
        TilePath parent = TilePath.hashTile(parentLevel, parentIndex,
                Tiles.tileWidth(parentLevel, parentIndex, treeSize));
        byte[] parentData = verifiedTile(parent);
        byte[] expected = Tiles.hashFromTile(parent, parentData,
                StoredHashes.storedHashIndex(parentLevel * Tiles.HEIGHT, tile.index()));
        data = fetch(tile);
        byte[] computed = Tiles.fullTileRoot(tile, data);
        if (!Hashes.equal(computed, expected)) {
            throw ProofException.mismatch(ProofErrorCode.TILE_HASH_MISMATCH, "hash of " + tile, expected, computed);
        }
        verified.put(tile, data);
        return data;
    }

    private byte[] fetch(TilePath tile) {
        byte[] data = fetcher.fetch(tile);
        if (data != null && tile.isPartial() && data.length == FULL_TILE_BYTES) {
            // A full tile's prefix is the partial tile (C2SP tlog-tiles "Partial Tiles" fallback).
            data = Arrays.copyOf(data, tile.width() * 32);
        }
        Tiles.requireTileData(tile, data);
        return data;
    }
}
