package io.tracemark.attest.receipts;

import io.tracemark.attest.ledger.ChainNodeClient;

import io.tracemark.proofs.merkle.Tlog;
import io.tracemark.proofs.tiles.SubtreeMemo;
import io.tracemark.proofs.tiles.TileHashReader;
import io.tracemark.proofs.tiles.TilePath;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inclusion proofs for many leaves of one tree, computed here from the chain-node's C2SP tlog-tiles
 * (the way Tessera clients prove) rather than asked for one leaf at a time: a round of receipts
 * under one checkpoint needs a handful of tile fetches instead of one HTTP call per record.
 *
 * <p>Tiles are authenticated against the block's root by {@link TileHashReader}, so a wrong or
 * tampered tile fails the proof instead of entering a receipt. Full tiles never change and are
 * cached across rounds; partial (right-edge) tiles are fetched per tree size. If the node serves no
 * tiles, proofs come from its inclusion endpoint as before.
 */
@ApplicationScoped
public class TileProofs {
    private static final Logger LOG = Logger.getLogger(TileProofs.class);
    private static final int CACHED_FULL_TILES = 2_048;

    @Inject
    ChainNodeClient chain;

    private final Map<TilePath, byte[]> fullTiles = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TilePath, byte[]> eldest) {
            return size() > CACHED_FULL_TILES;
        }
    };

    /**
     * The RFC 9162 §2.1.3.1 audit path of each leaf in {@code leafIndexes} within the tree of
     * {@code treeSize} leaves whose root hash is {@code rootHash}.
     */
    public Map<Long, List<byte[]>> inclusion(long treeSize, byte[] rootHash, Collection<Long> leafIndexes) {
        Map<Long, List<byte[]>> out = new HashMap<>();
        // Interior hashes shared by neighbouring leaves' proofs are hashed once, not once per proof.
        SubtreeMemo reader = new SubtreeMemo(new TileHashReader(treeSize, rootHash, this::fetch));
        try {
            for (long index : leafIndexes) {
                out.put(index, Arrays.asList(Tlog.proveRecord(treeSize, index, reader)));
            }
        } catch (TileMissing e) {
            LOG.debugf("chain-node serves no %s; asking it for inclusion proofs instead", e.getMessage());
            for (long index : leafIndexes) {
                out.computeIfAbsent(index, i -> chain.inclusion(i, treeSize));
            }
        }
        return out;
    }

    private byte[] fetch(TilePath tile) {
        if (!tile.isPartial()) {
            synchronized (fullTiles) {
                byte[] cached = fullTiles.get(tile);
                if (cached != null) {
                    return cached;
                }
            }
        }
        byte[] data = chain.tile(tile.format()).orElseThrow(() -> new TileMissing(tile.format()));
        if (!tile.isPartial()) {
            // Cached before authentication: a bad tile fails every proof it touches, so it is dropped below.
            synchronized (fullTiles) {
                fullTiles.put(tile, data);
            }
        }
        return data;
    }

    /** Forgets cached tiles, after a proof failed on one of them. */
    public void forgetTiles() {
        synchronized (fullTiles) {
            fullTiles.clear();
        }
    }

    private static final class TileMissing extends RuntimeException {
        TileMissing(String path) {
            super(path, null, false, false);
        }
    }
}
