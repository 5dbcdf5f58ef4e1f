package io.tracemark.chain.tiles;

import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.tiles.Tiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tree storage in C2SP tlog-tiles shape (https://c2sp.org/tlog-tiles): the leaf data (entry
 * bundles) in {@code entries.bin} and, per tile level L ≥ 1, the hashes of tree level 8·L in
 * {@code level-L.bin}. Every tile is one contiguous slice of one file; level-0 tiles are re-hashed
 * from the entries on read, which halves the bytes the apply loop writes per leaf.
 */
public final class TileStore implements Closeable {
    private static final int TILE_HEIGHT = Tiles.HEIGHT;
    private static final int H = Rfc9162Hasher.HASH_SIZE;
    private static final int MAX_TILE_LEVELS = 8;

    private final Path dir;
    private final AppendFile entries;
    /**
     * Tile levels opened so far. The apply thread adds one when the tree first reaches a new level (at 2^8, 2^16,
     * 2^24 leaves) while the sealing thread fsyncs them all and readers read them: a copy-on-write list, since it
     * changes a handful of times in a log's life (a plain list made the sealer's {@link #force} throw
     * {@code ConcurrentModificationException} at 2^24 leaves, which stopped the node).
     */
    private final List<AppendFile> levels = new CopyOnWriteArrayList<>();

    /** Opens the store in {@code dir}, creating it if needed. */
    public TileStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        entries = new AppendFile(dir.resolve("entries.bin"), 1 << 20);
        for (int l = 1; l < MAX_TILE_LEVELS && Files.exists(levelPath(l)); l++) {
            levels.add(new AppendFile(levelPath(l), 1 << 16));
        }
    }

    /**
     * Appends one leaf: its digest from {@code src[off..off+32)} and, from the {@code count} hashes
     * the compact range emitted for it (leaf hash first, then one per completed level), the ones at
     * tree levels 8, 16, …
     */
    public void append(byte[] src, int off, byte[] stored, int count) {
        appendEntry(src, off);
        appendLevels(stored, count, 0);
    }

    /** Appends one leaf's digest from {@code src[off..off+32)} to the entries (the level-0 tiles' data). */
    public void appendEntry(byte[] src, int off) {
        entries.append(src, off, H);
    }

    /**
     * Appends, from {@code count} hashes of one path up the tree, {@code stored[j]} being the node at tree level
     * {@code fromLevel + j} (as the compact range emits them for a leaf, from level 0, or for a subtree, from its
     * height), those at tree levels 8, 16, … to their tile levels.
     */
    public void appendLevels(byte[] stored, int count, int fromLevel) {
        for (int l = 1; TILE_HEIGHT * l - fromLevel < count; l++) {
            int j = TILE_HEIGHT * l - fromLevel;
            if (j >= 0) {
                level(l).append(stored, j * H, H);
            }
        }
    }

    /** Makes everything appended visible to readers. */
    public void flush() {
        entries.flush();
        for (AppendFile f : levels) {
            f.flush();
        }
    }

    /** fsyncs everything flushed. */
    public void force() {
        entries.force();
        for (AppendFile f : levels) {
            f.force();
        }
    }

    /** Whether the files hold at least the data of a tree of {@code size} leaves. */
    public boolean holds(long size) {
        if (entries.length() < size * H) {
            return false;
        }
        for (int l = 1; (size >>> (TILE_HEIGHT * l)) > 0; l++) {
            if (l > levels.size() || levels.get(l - 1).length() < (size >>> (TILE_HEIGHT * l)) * H) {
                return false;
            }
        }
        return true;
    }

    /** Drops everything beyond a tree of {@code size} leaves (torn or uncommitted writes). */
    public void truncate(long size) {
        entries.truncate(size * H);
        for (int l = 1; l <= levels.size(); l++) {
            levels.get(l - 1).truncate((size >>> (TILE_HEIGHT * l)) * H);
        }
    }

    /** Reads the digests of leaves [from, from+n). */
    public byte[] readDigests(long from, int n) {
        byte[] out = new byte[n * H];
        entries.read(from * H, out, 0, out.length);
        return out;
    }

    /**
     * Writes the RFC 9162 leaf hash of leaf {@code leaf} into {@code out[0..32)}, reading its digest
     * into {@code digest[0..32)} from the entries whether or not they were flushed yet. Apply thread
     * only (see {@link AppendFile#readAppended}); the deduplication in the apply loop must see leaves
     * appended moments ago in the same record.
     */
    public void appendedLeafHash(long leaf, Rfc9162Hasher hasher, byte[] digest, byte[] out) {
        entries.readAppended(leaf * H, digest, 0, H);
        hasher.leafHashInto(digest, 0, H, out, 0);
    }

    /**
     * Returns the hashes of tile level {@code l}: nodes [from, from+n) of tree level 8·l, leaf
     * hashes for l = 0.
     */
    public byte[] readLevel(int l, long from, int n) {
        if (l == 0) {
            byte[] digests = readDigests(from, n);
            Rfc9162Hasher hasher = new Rfc9162Hasher();
            for (int i = 0; i < n; i++) {
                hasher.leafHashInto(digests, i * H, H, digests, i * H);
            }
            return digests;
        }
        byte[] out = new byte[n * H];
        level(l).read(from * H, out, 0, out.length);
        return out;
    }

    /** Directory of the store. */
    public Path dir() {
        return dir;
    }

    private AppendFile level(int l) {
        if (levels.size() < l) {
            synchronized (levels) {
                while (levels.size() < l) {
                    levels.add(new AppendFile(levelPath(levels.size() + 1), 1 << 16));
                }
            }
        }
        return levels.get(l - 1);
    }

    private Path levelPath(int l) {
        return dir.resolve("level-" + l + ".bin");
    }

    @Override
    public void close() {
        entries.close();
        levels.forEach(AppendFile::close);
    }
}
