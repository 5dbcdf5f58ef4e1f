package io.tracemark.proofs.tiles;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.merkle.HashReader;
import io.tracemark.proofs.merkle.NodeId;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.merkle.StoredHashes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Tile arithmetic for C2SP tlog-tiles with tile height 8 (256 hashes per tile).
 *
 * <p>Tile (L, N) holds the Merkle level 8·L hashes N·256 … N·256+255. The seven levels in between
 * are not served; they are recomputed from the tile's hashes, which {@link #hashFromTile} does.
 */
public final class Tiles {
    /** Tile height: Merkle levels spanned by one tile. */
    public static final int HEIGHT = 8;
    /** Hashes in a full tile (2^HEIGHT). */
    public static final int WIDTH = 1 << HEIGHT;

    private static final int H = Rfc9162Hasher.HASH_SIZE;

    private Tiles() {
    }

    /**
     * Returns how many hashes tile (level, index) holds in a tree of {@code treeSize} leaves: 256 if
     * full, 1–255 if partial, 0 if the tree has no such tile (C2SP tlog-tiles "Partial Tiles").
     */
    public static int tileWidth(int level, long index, long treeSize) {
        if (level < 0 || index < 0 || treeSize < 0) {
            throw new IllegalArgumentException("negative tile coordinate or tree size");
        }
        long hashesAtLevel = HEIGHT * level >= Long.SIZE ? 0 : treeSize >>> (HEIGHT * level);
        long before = index >= (Long.MAX_VALUE >>> HEIGHT) ? Long.MAX_VALUE : index << HEIGHT;
        return (int) Math.max(0, Math.min(WIDTH, hashesAtLevel - before));
    }

    /**
     * Returns the tile, sized for a tree of {@code treeSize} leaves, from which stored hash
     * {@code storedIndex} can be read or recomputed.
     *
     * @throws IllegalArgumentException if that hash is not part of the tree at this size
     */
    public static TilePath tileForStoredHash(long storedIndex, long treeSize) {
        NodeId node = StoredHashes.splitStoredHashIndex(storedIndex);
        if (node.index() >= (treeSize >>> node.level())) {
            throw new IllegalArgumentException("stored hash " + storedIndex + " " + node
                    + " is not complete in a tree of size " + treeSize);
        }
        int tileLevel = node.level() / HEIGHT;
        int within = node.level() % HEIGHT;
        long tileIndex = (node.index() << within) >>> HEIGHT;
        return TilePath.hashTile(tileLevel, tileIndex, tileWidth(tileLevel, tileIndex, treeSize));
    }

    /**
     * Returns the entry bundle holding leaf {@code leafIndex} in a tree of {@code treeSize} leaves.
     */
    public static TilePath entryBundleForLeaf(long leafIndex, long treeSize) {
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new IllegalArgumentException("leaf " + leafIndex + " not in tree of size " + treeSize);
        }
        long index = leafIndex >>> HEIGHT;
        return TilePath.entryBundle(index, tileWidth(0, index, treeSize));
    }

    /**
     * Returns the hash tiles a log must publish when growing from {@code oldSize} to
     * {@code newSize}: every tile that became full, plus the new partial tile of each level.
     * The matching entry bundles are the level-0 tiles' {@link TilePath#toEntryBundle()}.
     */
    public static List<TilePath> newTiles(long oldSize, long newSize) {
        if (oldSize < 0 || newSize < oldSize) {
            throw new IllegalArgumentException("invalid growth " + oldSize + " -> " + newSize);
        }
        List<TilePath> out = new ArrayList<>();
        for (int level = 0; HEIGHT * level < Long.SIZE && (newSize >>> (HEIGHT * level)) > 0; level++) {
            long oldCount = oldSize >>> (HEIGHT * level);
            long newCount = newSize >>> (HEIGHT * level);
            if (oldCount == newCount) {
                continue;
            }
            for (long n = oldCount >>> HEIGHT; n < newCount >>> HEIGHT; n++) {
                out.add(TilePath.hashTile(level, n, WIDTH));
            }
            long partialIndex = newCount >>> HEIGHT;
            int width = (int) (newCount - (partialIndex << HEIGHT));
            if (width > 0) {
                out.add(TilePath.hashTile(level, partialIndex, width));
            }
        }
        return out;
    }

    /**
     * Returns the tiles whose hashes determine the root of a tree of {@code treeSize} leaves —
     * the tiles a client fetches first to authenticate everything else against a checkpoint.
     */
    public static List<TilePath> treeTiles(long treeSize) {
        Set<TilePath> tiles = new LinkedHashSet<>();
        for (long index : StoredHashes.subtreeIndexes(0, treeSize)) {
            tiles.add(tileForStoredHash(index, treeSize));
        }
        return new ArrayList<>(tiles);
    }

    /**
     * Returns stored hash {@code storedIndex}, read from or recomputed out of the bytes of
     * {@code tile} (C2SP tlog-tiles: intermediate levels are rebuilt by hashing tile hashes).
     *
     * @throws ProofException {@code tile.malformed} if the data is not width·32 bytes
     * @throws IllegalArgumentException if the hash does not lie within this tile
     */
    public static byte[] hashFromTile(TilePath tile, byte[] data, long storedIndex) {
        if (tile.entries()) {
            throw new IllegalArgumentException("entry bundles hold no hashes: " + tile);
        }
        requireTileData(tile, data);
        NodeId node = StoredHashes.splitStoredHashIndex(storedIndex);
        int within = node.level() - tile.level() * HEIGHT;
        long first = (node.index() << Math.max(within, 0)) - (tile.index() << HEIGHT);
        int count = 1 << Math.max(within, 0);
        if (within < 0 || within >= HEIGHT || first < 0 || first + count > tile.width()) {
            throw new IllegalArgumentException("stored hash " + storedIndex + " " + node + " is not in " + tile);
        }
        byte[] buf = new byte[count * H];
        System.arraycopy(data, (int) first * H, buf, 0, count * H);
        Rfc9162Hasher hasher = new Rfc9162Hasher();
        for (int n = count; n > 1; n >>= 1) {
            for (int i = 0; i < n / 2; i++) {
                hasher.nodeHashInto(buf, 2 * i * H, buf, (2 * i + 1) * H, buf, i * H);
            }
        }
        byte[] out = new byte[H];
        System.arraycopy(buf, 0, out, 0, H);
        return out;
    }

    /**
     * Returns the bytes of {@code tile} assembled from stored hashes, as a log serves it: the
     * concatenated level 8·L hashes of the tile (C2SP tlog-tiles "Merkle Tree").
     */
    public static byte[] readTileData(TilePath tile, HashReader reader) {
        if (tile.entries()) {
            throw new IllegalArgumentException("entry bundles hold no hashes: " + tile);
        }
        long[] indexes = new long[tile.width()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = StoredHashes.storedHashIndex(tile.level() * HEIGHT, (tile.index() << HEIGHT) + i);
        }
        byte[][] hashes = reader.readHashes(indexes);
        if (hashes.length != indexes.length) {
            throw new IllegalStateException("hash reader returned " + hashes.length + " hashes for " + indexes.length);
        }
        byte[] out = new byte[indexes.length * H];
        for (int i = 0; i < hashes.length; i++) {
            System.arraycopy(hashes[i], 0, out, i * H, H);
        }
        return out;
    }

    /** Returns MTH of a full tile's 256 hashes: the level 8·(L+1) hash its parent tile holds. */
    static byte[] fullTileRoot(TilePath tile, byte[] data) {
        long top = StoredHashes.storedHashIndex(tile.level() * HEIGHT + HEIGHT - 1, tile.index() << 1);
        byte[] left = hashFromTile(tile, data, top);
        byte[] right = hashFromTile(tile, data,
                StoredHashes.storedHashIndex(tile.level() * HEIGHT + HEIGHT - 1, (tile.index() << 1) + 1));
        return Rfc9162Hasher.nodeHash(left, right);
    }

    static void requireTileData(TilePath tile, byte[] data) {
        if (data == null || data.length != tile.width() * H) {
            throw new ProofException(ProofErrorCode.TILE_MALFORMED, tile + " must be " + tile.width() * H
                    + " bytes, got " + (data == null ? "none" : data.length));
        }
    }
}
