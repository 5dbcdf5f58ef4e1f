package io.tracemark.proofs.tiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.merkle.InMemoryHashStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryBundleTest {

    @Test
    void encodesEachEntryWithABigEndianUint16Length() {
        byte[] bundle = EntryBundle.encode(List.of(new byte[] {7}, new byte[0], new byte[300]));
        assertArrayEquals(new byte[] {0, 1, 7, 0, 0, 1, 44}, java.util.Arrays.copyOf(bundle, 7));
        assertEquals(2 + 1 + 2 + 2 + 300, bundle.length);
        List<byte[]> back = EntryBundle.decode(bundle, 3);
        assertArrayEquals(new byte[] {7}, back.get(0));
        assertEquals(0, back.get(1).length);
        assertEquals(300, back.get(2).length);
    }

    @Test
    void acceptsTheLargestEntryAndRejectsLarger() {
        byte[] max = new byte[EntryBundle.MAX_ENTRY_SIZE];
        assertEquals(max.length, EntryBundle.decode(EntryBundle.encode(List.of(max)), 1).get(0).length);
        assertThrows(IllegalArgumentException.class, () -> EntryBundle.encode(List.of(new byte[65536])));
    }

    @Test
    void rejectsTruncatedPaddedOrMiscountedBundles() {
        byte[] ok = EntryBundle.encode(List.of(new byte[] {1, 2}, new byte[] {3}));
        assertCode(() -> EntryBundle.decode(java.util.Arrays.copyOf(ok, ok.length - 1), 2));
        assertCode(() -> EntryBundle.decode(java.util.Arrays.copyOf(ok, 5), 2));
        assertCode(() -> EntryBundle.decode(java.util.Arrays.copyOf(ok, ok.length + 1), 2));
        assertCode(() -> EntryBundle.decode(ok, 1));
        assertCode(() -> EntryBundle.decode(ok, 3));
        assertCode(() -> EntryBundle.decode(new byte[0], 1));
    }

    @Test
    void verifiesEntriesAgainstTheirLevelZeroTile() {
        List<byte[]> entries = new ArrayList<>();
        InMemoryHashStore store = new InMemoryHashStore();
        for (int i = 0; i < 40; i++) {
            byte[] e = ("entry " + i).getBytes();
            entries.add(e);
            store.appendData(e);
        }
        byte[] tile = Tiles.readTileData(TilePath.hashTile(0, 0, 40), store);
        List<byte[]> decoded = EntryBundle.decode(EntryBundle.encode(entries), 40);
        EntryBundle.verifyAgainstTile(decoded, tile);
        decoded.get(17)[0] ^= 1;
        assertCode(() -> EntryBundle.verifyAgainstTile(decoded, tile));
        assertCode(() -> EntryBundle.verifyAgainstTile(decoded.subList(0, 39), tile));
    }

    private static void assertCode(org.junit.jupiter.api.function.Executable e) {
        assertEquals(ProofErrorCode.BUNDLE_MALFORMED, assertThrows(ProofException.class, e).errorCode());
    }
}
