package io.tracemark.chain.tiles;

import io.tracemark.proofs.ledger.LeafBatchCodec;

/** Builds tile and entry-bundle bodies (C2SP tlog-tiles) for a tree of a given committed size. */
public final class TileReader {
    private final TileStore store;

    /** A reader over {@code store}. */
    public TileReader(TileStore store) {
        this.store = store;
    }

    /**
     * Returns the body of {@code tile} if a tree of {@code size} leaves has it, else null: the
     * concatenated 32-byte hashes, or for entry bundles each digest prefixed by its uint16 length.
     */
    public byte[] read(TilePath tile, long size) {
        int shift = tile.entries() ? 0 : TileStore.TILE_HEIGHT * tile.level();
        long available = shift >= 63 ? 0 : size >>> shift;
        long first = tile.index() * TileStore.TILE_WIDTH;
        if (tile.index() > Long.MAX_VALUE / TileStore.TILE_WIDTH || first + tile.width() > available) {
            return null;
        }
        if (!tile.entries()) {
            return store.readLevel(tile.level(), first, tile.width());
        }
        byte[] digests = store.readDigests(first, tile.width());
        int d = LeafBatchCodec.DIGEST_SIZE;
        byte[] bundle = new byte[tile.width() * (2 + d)];
        for (int i = 0; i < tile.width(); i++) {
            bundle[i * (2 + d)] = 0;
            bundle[i * (2 + d) + 1] = (byte) d;
            System.arraycopy(digests, i * d, bundle, i * (2 + d) + 2, d);
        }
        return bundle;
    }
}
