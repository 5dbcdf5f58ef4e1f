package io.tracemark.chain.tiles;

import io.tracemark.proofs.merkle.HashReader;
import io.tracemark.proofs.tiles.TilePath;
import io.tracemark.proofs.tiles.Tiles;
import java.util.HashMap;
import java.util.Map;

/**
 * Serves any complete subtree hash of a tree of fixed size from the local tiles, so proofs can be
 * generated with {@code Tlog} (RFC 9162 §2.1.3/§2.1.4) and the compact range resumed: each hash is
 * recomputed from the tile holding its descendants, exactly as a C2SP tlog-tiles client would.
 * Tiles read are cached for the reader's lifetime (one request); not thread-safe.
 */
public final class TreeHashReader implements HashReader {
    private final TileReader tiles;
    private final long size;
    private final Map<TilePath, byte[]> read = new HashMap<>();

    /** A reader bounded to a tree of {@code size} leaves, whose data must be flushed in {@code store}. */
    public TreeHashReader(TileStore store, long size) {
        this.tiles = new TileReader(store);
        this.size = size;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if an index is not a complete subtree of this tree
     */
    @Override
    public byte[][] readHashes(long[] indexes) {
        byte[][] out = new byte[indexes.length][];
        for (int i = 0; i < indexes.length; i++) {
            TilePath tile = Tiles.tileForStoredHash(indexes[i], size);
            out[i] = Tiles.hashFromTile(tile, read.computeIfAbsent(tile, t -> tiles.read(t, size)), indexes[i]);
        }
        return out;
    }
}
