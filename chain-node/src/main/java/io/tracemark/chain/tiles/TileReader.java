package io.tracemark.chain.tiles;

import io.tracemark.proofs.ledger.LeafBatchCodec;
import io.tracemark.proofs.tiles.EntryBundle;
import io.tracemark.proofs.tiles.TilePath;
import io.tracemark.proofs.tiles.Tiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds tile and entry-bundle bodies (C2SP tlog-tiles) of the tree of a given committed size. */
public final class TileReader {
    private static final int D = LeafBatchCodec.DIGEST_SIZE;

    private final TileStore store;

    /** A reader over {@code store}. */
    public TileReader(TileStore store) {
        this.store = store;
    }

    /**
     * Returns the body of {@code tile} if a tree of {@code size} leaves has it, else null: the
     * concatenated 32-byte hashes, or for entry bundles the record digests as bundle entries.
     */
    public byte[] read(TilePath tile, long size) {
        if (tile.width() > Tiles.tileWidth(tile.level(), tile.index(), size)) {
            return null;
        }
        long first = tile.index() << Tiles.HEIGHT;
        if (!tile.entries()) {
            return store.readLevel(tile.level(), first, tile.width());
        }
        byte[] digests = store.readDigests(first, tile.width());
        List<byte[]> entries = new ArrayList<>(tile.width());
        for (int i = 0; i < tile.width(); i++) {
            entries.add(Arrays.copyOfRange(digests, i * D, i * D + D));
        }
        return EntryBundle.encode(entries);
    }
}
