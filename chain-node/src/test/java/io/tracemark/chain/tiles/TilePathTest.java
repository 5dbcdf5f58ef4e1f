package io.tracemark.chain.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class TilePathTest {
    @Test
    void parsesCanonicalTilePaths() {
        assertEquals(new TilePath(0, 0, 256), TilePath.parse("0/000"));
        assertEquals(new TilePath(1, 1234067, 256), TilePath.parse("1/x001/x234/067"));
        assertEquals(new TilePath(2, 5, 17), TilePath.parse("2/005.p/17"));
        assertEquals(new TilePath(-1, 1000, 255), TilePath.parse("entries/x001/000.p/255"));
        assertEquals("entries/x001/000.p/255", new TilePath(-1, 1000, 255).format());
    }

    @Test
    void rejectsTraversalAndNonCanonicalPaths() {
        for (String bad : new String[] {"../etc/passwd", "0/../000", "0/000/..", "0/00", "0/0000", "0/x000/001",
                "0/000.p/0", "0/000.p/256", "0/000.p/007", "8/000", "01/000", "entries/../../x", "0/000.p/",
                "0/%2e%2e/000", "-1/000", "0/x001", "entries", ""}) {
            assertNull(TilePath.parse(bad), bad);
        }
    }
}
