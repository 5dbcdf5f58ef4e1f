package io.tracemark.proofs.tiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.merkle.InMemoryHashStore;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.merkle.StoredHashes;
import io.tracemark.proofs.merkle.Tlog;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TilesTest {
    private static final int SIZE = 70_000;
    private static InMemoryHashStore store;
    private static byte[] root;

    @BeforeAll
    static void buildLog() {
        store = new InMemoryHashStore();
        for (int i = 0; i < SIZE; i++) {
            store.appendData(ByteBuffer.allocate(4).putInt(i).array());
        }
        root = store.root();
    }

    @Test
    void listsTheTilesOfTheSpecExampleTreeOf70000Entries() {
        // C2SP tlog-tiles: 273 full level 0 tiles, a level 0 partial of width 112, one full
        // level 1 tile, a level 1 partial of width 17, and a level 2 partial of width 1.
        List<TilePath> tiles = Tiles.newTiles(0, 70_000);
        assertEquals(273 + 1 + 1 + 1 + 1, tiles.size());
        assertEquals(273, tiles.stream().filter(t -> t.level() == 0 && !t.isPartial()).count());
        assertTrue(tiles.contains(TilePath.hashTile(0, 273, 112)));
        assertTrue(tiles.contains(TilePath.hashTile(1, 0, 256)));
        assertTrue(tiles.contains(TilePath.hashTile(1, 1, 17)));
        assertTrue(tiles.contains(TilePath.hashTile(2, 0, 1)));
        assertEquals(List.of(TilePath.hashTile(0, 0, 256), TilePath.hashTile(1, 0, 1)), Tiles.newTiles(0, 256));
    }

    @Test
    void newTilesBetweenSizesAreTheTilesThatChanged() {
        assertEquals(List.of(), Tiles.newTiles(300, 300));
        assertEquals(List.of(TilePath.hashTile(0, 1, 45)), Tiles.newTiles(300, 301));
        assertEquals(List.of(TilePath.hashTile(0, 1, 256), TilePath.hashTile(1, 0, 2)), Tiles.newTiles(300, 512));
        for (int[] range : new int[][] {{0, 1}, {5, 700}, {255, 257}, {65535, 65537}}) {
            Set<TilePath> incremental = new HashSet<>();
            for (int s = range[0]; s < range[1]; s++) {
                incremental.addAll(Tiles.newTiles(s, s + 1));
            }
            for (TilePath t : Tiles.newTiles(range[0], range[1])) {
                assertTrue(incremental.contains(t), t + " missing for " + range[0] + "->" + range[1]);
            }
        }
    }

    @Test
    void tileWidthFollowsTheTreeSize() {
        assertEquals(256, Tiles.tileWidth(0, 0, SIZE));
        assertEquals(112, Tiles.tileWidth(0, 273, SIZE));
        assertEquals(0, Tiles.tileWidth(0, 274, SIZE));
        assertEquals(17, Tiles.tileWidth(1, 1, SIZE));
        assertEquals(1, Tiles.tileWidth(2, 0, SIZE));
        assertEquals(0, Tiles.tileWidth(3, 0, SIZE));
        assertEquals(0, Tiles.tileWidth(63, 0, Long.MAX_VALUE));
        assertEquals(TilePath.entryBundle(273, 112), Tiles.entryBundleForLeaf(69_999, SIZE));
    }

    @Test
    void servesTileBytesFromWhichEveryStoredHashCanBeRecomputed() {
        Random rnd = new Random(7);
        for (int i = 0; i < 2000; i++) {
            long index = (long) (rnd.nextDouble() * StoredHashes.storedHashCount(SIZE));
            var node = StoredHashes.splitStoredHashIndex(index);
            if (node.index() >= (SIZE >>> node.level())) {
                continue;
            }
            TilePath tile = Tiles.tileForStoredHash(index, SIZE);
            byte[] data = Tiles.readTileData(tile, store);
            assertArrayEquals(store.readHashes(new long[] {index})[0], Tiles.hashFromTile(tile, data, index));
        }
    }

    @Test
    void tileHashReaderProducesTheSameProofsAsTheStore() {
        List<TilePath> fetched = new ArrayList<>();
        TileHashReader reader = new TileHashReader(SIZE, root, t -> {
            fetched.add(t);
            assertEquals(Tiles.tileWidth(t.level(), t.index(), SIZE), t.width(), "asked for a tile of another size");
            return Tiles.readTileData(t, store);
        });
        assertArrayEquals(root, Tlog.treeHash(SIZE, reader));
        Random rnd = new Random(8);
        for (int k = 0; k < 50; k++) {
            long n = rnd.nextInt(SIZE);
            assertArrays(Tlog.proveRecord(SIZE, n, store), Tlog.proveRecord(SIZE, n, reader));
            long old = 1 + rnd.nextInt(SIZE);
            assertArrays(Tlog.proveTree(SIZE, old, store), Tlog.proveTree(SIZE, old, reader));
        }
        assertEquals(fetched.size(), new HashSet<>(fetched).size(), "each tile should be fetched once");
    }

    @Test
    void tileHashReaderWorksForSmallAndPowerOfTwoTrees() {
        for (long size : new long[] {1, 2, 255, 256, 257, 65536}) {
            InMemoryHashStore s = new InMemoryHashStore();
            for (long i = 0; i < size; i++) {
                s.appendData(Long.toString(i).getBytes());
            }
            TileHashReader r = new TileHashReader(size, s.root(), t -> Tiles.readTileData(t, s));
            long n = size - 1;
            Tlog.checkRecord(Tlog.proveRecord(size, n, r), size, s.root(), n,
                    Rfc9162Hasher.leafHash(Long.toString(n).getBytes()));
        }
    }

    @Test
    void rejectsATamperedInteriorTile() {
        ProofException e = assertThrows(ProofException.class,
                () -> Tlog.proveRecord(SIZE, 1000, readerTampering(t -> t.equals(TilePath.hashTile(0, 3, 256)))));
        assertEquals(ProofErrorCode.TILE_HASH_MISMATCH, e.errorCode());
    }

    @Test
    void rejectsATamperedRightEdgeTile() {
        ProofException e = assertThrows(ProofException.class,
                () -> Tlog.treeHash(SIZE, readerTampering(t -> t.equals(TilePath.hashTile(1, 1, 17)))));
        assertEquals(ProofErrorCode.TILE_HASH_MISMATCH, e.errorCode());
    }

    @Test
    void rejectsATamperedParentTileUsedToAuthenticateAFullTile() {
        TileHashReader r = readerTampering(t -> t.equals(TilePath.hashTile(1, 0, 256)));
        ProofException e = assertThrows(ProofException.class, () -> Tlog.proveRecord(SIZE, 10, r));
        assertEquals(ProofErrorCode.TILE_HASH_MISMATCH, e.errorCode());
    }

    @Test
    void rejectsTileBytesOfTheWrongLengthButAcceptsAFullTileForAPartialOne() {
        TileHashReader truncated = new TileHashReader(SIZE, root, t -> {
            byte[] d = Tiles.readTileData(t, store);
            return java.util.Arrays.copyOf(d, d.length - 1);
        });
        assertEquals(ProofErrorCode.TILE_MALFORMED,
                assertThrows(ProofException.class, () -> Tlog.treeHash(SIZE, truncated)).errorCode());

        InMemoryHashStore bigger = new InMemoryHashStore();
        for (int i = 0; i < 600; i++) {
            bigger.appendData(Integer.toString(i).getBytes());
        }
        byte[] root500 = Tlog.treeHash(500, bigger);
        TileHashReader fallback = new TileHashReader(500, root500, t -> {
            int fullWidth = Tiles.tileWidth(t.level(), t.index(), 600);
            return Tiles.readTileData(t.level() == 0 ? TilePath.hashTile(0, t.index(), fullWidth) : t, bigger);
        });
        assertArrayEquals(root500, Tlog.treeHash(500, fallback));
    }

    private static TileHashReader readerTampering(java.util.function.Predicate<TilePath> which) {
        UnaryOperator<byte[]> flip = d -> {
            d[d.length / 2] ^= 1;
            return d;
        };
        return new TileHashReader(SIZE, root, t -> {
            byte[] d = Tiles.readTileData(t, store);
            return which.test(t) ? flip.apply(d) : d;
        });
    }

    private static void assertArrays(byte[][] expected, byte[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i]);
        }
    }

    @Test
    void subtreeMemoProvesABlockOfLeavesExactlyAsTheStoreDoesReadingEachTileOnce() {
        List<TilePath> fetched = new ArrayList<>();
        TileHashReader tiles = new TileHashReader(SIZE, root, t -> {
            fetched.add(t);
            return Tiles.readTileData(t, store);
        });
        SubtreeMemo memo = new SubtreeMemo(tiles);
        for (long n = 65_000; n < 65_700; n++) {
            byte[][] proof = Tlog.proveRecord(SIZE, n, memo);
            byte[][] expected = Tlog.proveRecord(SIZE, n, store);
            assertEquals(expected.length, proof.length);
            for (int i = 0; i < proof.length; i++) {
                assertArrayEquals(expected[i], proof[i], "leaf " + n + " sibling " + i);
            }
            Tlog.checkRecord(proof, SIZE, root, n, store.readHashes(new long[] {StoredHashes.storedHashIndex(0, n)})[0]);
        }
        assertEquals(fetched.size(), new HashSet<>(fetched).size(), "a tile fetched twice: " + fetched);
    }

    @Test
    void subtreeMemoPassesATamperedTileFailureOn() {
        TileHashReader tampered = new TileHashReader(SIZE, root, t -> {
            byte[] d = Tiles.readTileData(t, store);
            if (t.level() == 0 && t.index() == 3) {
                d[5] ^= 1;
            }
            return d;
        });
        ProofException e = assertThrows(ProofException.class, () -> Tlog.proveRecord(SIZE, 3 * 256 + 7, new SubtreeMemo(tampered)));
        assertEquals(ProofErrorCode.TILE_HASH_MISMATCH, e.errorCode());
    }
}
