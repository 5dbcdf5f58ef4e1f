package io.tracemark.proofs.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StoredHashesTest {

    @Test
    void laysOutHashesInTheSumdbOrder() {
        // Leaf 0; leaf 1 then (1,0); leaf 2; leaf 3 then (1,1) then (2,0); leaf 4.
        long[][] expected = {{0, 0, 0}, {0, 1, 1}, {1, 0, 2}, {0, 2, 3}, {0, 3, 4}, {1, 1, 5}, {2, 0, 6}, {0, 4, 7}};
        for (long[] e : expected) {
            assertEquals(e[2], StoredHashes.storedHashIndex((int) e[0], e[1]), "index of (" + e[0] + "," + e[1] + ")");
            assertEquals(new NodeId((int) e[0], e[1]), StoredHashes.splitStoredHashIndex(e[2]));
        }
    }

    @Test
    void splitInvertsStoredHashIndexForManyNodes() {
        Random rnd = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            int level = rnd.nextInt(40);
            long n = rnd.nextLong() >>> (level + 24);
            long index = StoredHashes.storedHashIndex(level, n);
            assertEquals(new NodeId(level, n), StoredHashes.splitStoredHashIndex(index));
        }
        for (long index = 0; index < 5000; index++) {
            NodeId id = StoredHashes.splitStoredHashIndex(index);
            assertEquals(index, StoredHashes.storedHashIndex(id.level(), id.index()));
        }
    }

    @Test
    void countsStoredHashesAsEachLeafPlusEachCompletedSubtree() {
        long count = 0;
        for (long n = 0; n < 1000; n++) {
            assertEquals(count, StoredHashes.storedHashCount(n));
            count += 1 + Long.numberOfTrailingZeros(n + 1);
        }
    }

    @Test
    void storedHashesForANewLeafMatchWhatTheStoreHolds() {
        List<byte[]> leaves = TestTrees.syntheticLeaves(70);
        InMemoryHashStore store = TestTrees.store(leaves);
        for (int n = 0; n < leaves.size(); n++) {
            byte[][] got = StoredHashes.storedHashes(n, Rfc9162Hasher.leafHash(leaves.get(n)), store);
            long start = StoredHashes.storedHashIndex(0, n);
            assertEquals(StoredHashes.storedHashCount(n + 1) - start, got.length);
            for (int i = 0; i < got.length; i++) {
                assertArrayEquals(store.readHashes(new long[] {start + i})[0], got[i], "leaf " + n + " hash " + i);
            }
        }
    }

    @Test
    void storedHashesAreReadFromAnOlderStoreInOneAscendingBatch() {
        List<byte[]> leaves = TestTrees.syntheticLeaves(16);
        InMemoryHashStore store = TestTrees.store(leaves.subList(0, 15));
        List<long[]> calls = new ArrayList<>();
        StoredHashes.storedHashes(15, Rfc9162Hasher.leafHash(leaves.get(15)), idx -> {
            calls.add(idx.clone());
            return store.readHashes(idx);
        });
        assertEquals(1, calls.size());
        long[] idx = calls.get(0);
        assertEquals(4, idx.length);
        for (int i = 1; i < idx.length; i++) {
            assertEquals(true, idx[i - 1] < idx[i]);
        }
    }

    @Test
    void subtreeIndexesDecomposeARangeIntoDescendingPerfectSubtrees() {
        long[] idx = StoredHashes.subtreeIndexes(0, 13);
        assertEquals(3, idx.length);
        assertEquals(new NodeId(3, 0), StoredHashes.splitStoredHashIndex(idx[0]));
        assertEquals(new NodeId(2, 2), StoredHashes.splitStoredHashIndex(idx[1]));
        assertEquals(new NodeId(0, 12), StoredHashes.splitStoredHashIndex(idx[2]));
        assertThrows(IllegalArgumentException.class, () -> StoredHashes.subtreeIndexes(1, 3));
    }

    @Test
    void rejectsOutOfRangeCoordinates() {
        assertThrows(IllegalArgumentException.class, () -> StoredHashes.storedHashIndex(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> StoredHashes.storedHashIndex(0, -1));
        assertThrows(IllegalArgumentException.class, () -> StoredHashes.storedHashIndex(63, 0));
        assertThrows(IllegalArgumentException.class, () -> StoredHashes.splitStoredHashIndex(-1));
        assertThrows(IllegalArgumentException.class, () -> Tlog.proveRecord(5, 5, idx -> new byte[0][]));
    }
}
