package io.tracemark.proofs.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TilePathTest {

    @Test
    void formatsIndexesInThreeDigitGroupsWithXPrefixes() {
        assertEquals("tile/0/x001/x234/067", TilePath.hashTile(0, 1234067, 256).format());
        assertEquals("tile/0/000", TilePath.hashTile(0, 0, 256).format());
        assertEquals("tile/3/999", TilePath.hashTile(3, 999, 256).format());
        assertEquals("tile/1/x001/000", TilePath.hashTile(1, 1000, 256).format());
        assertEquals("tile/63/x009/x223/x372/x036/x854/x775/807",
                TilePath.hashTile(63, Long.MAX_VALUE, 256).format());
        assertEquals("tile/0/x001/x234/067.p/112", TilePath.hashTile(0, 1234067, 112).format());
        assertEquals("tile/entries/273.p/112", TilePath.entryBundle(273, 112).format());
        assertEquals("tile/entries/x001/000", TilePath.entryBundle(1000, 256).format());
    }

    @Test
    void parsesWhatItFormats() {
        Random rnd = new Random(6);
        for (int i = 0; i < 5000; i++) {
            long index = rnd.nextLong() >>> (1 + rnd.nextInt(63));
            int width = 1 + rnd.nextInt(256);
            TilePath t = rnd.nextBoolean()
                    ? TilePath.hashTile(rnd.nextInt(64), index, width)
                    : TilePath.entryBundle(index, width);
            assertEquals(t, TilePath.parse(t.format()));
        }
        assertEquals(TilePath.hashTile(2, 1234067, 7), TilePath.parse("tile/2/x001/x234/067.p/7"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "tile", "tile/", "tile/0", "tile/0/", "/tile/0/000", "tiles/0/000", "tile/0/000/",
        "tile/0/0", "tile/0/00", "tile/0/0000", "tile/0/1234", "tile/0/x000/001", "tile/0/x001/x002",
        "tile/0/001/002", "tile/0/x01/000", "tile/0/y001/000", "tile/0/X001/000", "tile/0/x001.p/5",
        "tile/00/000", "tile/01/000", "tile/64/000", "tile/-1/000", "tile/+1/000", "tile/ 1/000",
        "tile/0/000.p/", "tile/0/000.p", "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/010",
        "tile/0/000.p/5/", "tile/0/000.p/5/6", "tile/0/000.q/5", "tile/0/000p/5", "tile/0/../000",
        "tile/0/./000", "tile/0//000", "tile/entries", "tile/entries/", "tile/entry/000",
        "tile/0/x009/x223/x372/x036/x854/x775/808", "tile/0/x001/x000/x000/x000/x000/x000/x000/000",
        "tile/0/\u0661\u0662\u0663", "tile/0/00a", "tile/0/000\n", "tile/0/000?x=1", "tile\\0\\000",
        "tile/0/000.p/1.p/1",
    })
    void rejectsNonCanonicalTilePaths(String path) {
        ProofException e = assertThrows(ProofException.class, () -> TilePath.parse(path));
        assertEquals(ProofErrorCode.TILE_PATH_MALFORMED, e.errorCode());
    }

    @Test
    void rejectsNullAndOverlongPaths() {
        assertThrows(ProofException.class, () -> TilePath.parse(null));
        assertThrows(ProofException.class, () -> TilePath.parse("tile/0/" + "x001/".repeat(40) + "000"));
    }

    @Test
    void mapsLevelZeroTilesToTheirEntryBundles() {
        assertEquals(TilePath.entryBundle(5, 9), TilePath.hashTile(0, 5, 9).toEntryBundle());
        assertThrows(IllegalStateException.class, () -> TilePath.hashTile(1, 5, 9).toEntryBundle());
    }
}
