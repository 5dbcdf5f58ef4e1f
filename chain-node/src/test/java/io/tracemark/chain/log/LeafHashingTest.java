package io.tracemark.chain.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tracemark.proofs.ledger.LeafBatchCodec;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Leaf hashes computed ahead of the apply thread build exactly the log that hashing inline builds. */
class LeafHashingTest {
    @Test
    void precomputedLeafHashesBuildTheSameBlocksAsHashingInline() throws Exception {
        List<byte[]> records = new ArrayList<>(LocalLog.records(40, 15));
        records.add(records.get(3));
        records.add(new byte[] {0x01, 0, 0, 0, 9});
        records.addAll(LocalLog.records(10, 16));
        Rfc9162Hasher hasher = new Rfc9162Hasher();
        try (LocalLog inline = new LocalLog(Files.createTempDirectory("inline-"), 1000);
                LocalLog ahead = new LocalLog(Files.createTempDirectory("ahead-"), 1000)) {
            for (int o = 0; o < records.size(); o++) {
                inline.apply(o, records.get(o));
                ahead.apply(o, records.get(o), LogEngine.leafHashes(records.get(o), hasher));
            }
            assertEquals(inline.engine.treeSize(), ahead.engine.treeSize());
            inline.apply(records.size(), LeafBatchCodec.encodeSeal(0));
            ahead.apply(records.size(), LeafBatchCodec.encodeSeal(0), (LeafHashes) null);
            inline.awaitDurable(inline.engine.treeSize());
            ahead.awaitDurable(ahead.engine.treeSize());
            assertEquals(inline.durable.size(), ahead.durable.size());
            for (int i = 0; i < inline.durable.size(); i++) {
                assertEquals(inline.durable.get(i).block().header(), ahead.durable.get(i).block().header());
                assertEquals(inline.durable.get(i).block().batches(), ahead.durable.get(i).block().batches());
            }
        }
    }

    @Test
    void subtreeRootsHashedAheadBuildTheSameTreeTilesAndBlocksAsHashingInline() throws Exception {
        List<byte[]> records = new ArrayList<>(LocalLog.records(60, 21));
        // A record that repeats an earlier one entirely, one whose digests repeat inside a whole subtree, and large
        // ones spanning several subtrees (the generator's records hold 1..700 digests).
        records.add(records.get(2));
        List<byte[]> inner = new ArrayList<>(LeafBatchCodec.decodeLeaves(LocalLog.records(1, 22).get(0)));
        inner.addAll(LeafBatchCodec.decodeLeaves(LocalLog.records(1, 22).get(0)));
        records.add(LeafBatchCodec.encodeLeaves(inner));
        records.addAll(LocalLog.records(30, 23));
        Rfc9162Hasher hasher = new Rfc9162Hasher();
        try (LocalLog inline = new LocalLog(Files.createTempDirectory("inline-"), 3000);
                LocalLog ahead = new LocalLog(Files.createTempDirectory("ahead-"), 3000)) {
            for (int o = 0; o < records.size(); o++) {
                inline.apply(o, records.get(o));
                // Every fifth record is hashed for a start one leaf off, as after an unexpected duplicate.
                long expected = ahead.engine.treeSize() + (o % 5 == 4 ? 1 : 0);
                ahead.apply(o, records.get(o), LeafHashes.compute(records.get(o), hasher, expected));
                assertEquals(inline.engine.treeSize(), ahead.engine.treeSize(), "after record " + o);
            }
            inline.apply(records.size(), LeafBatchCodec.encodeSeal(0));
            ahead.apply(records.size(), LeafBatchCodec.encodeSeal(0), (LeafHashes) null);
            long size = inline.engine.treeSize();
            inline.awaitDurable(size);
            ahead.awaitDurable(size);
            assertEquals(inline.durable.size(), ahead.durable.size());
            for (int i = 0; i < inline.durable.size(); i++) {
                assertEquals(inline.durable.get(i).block().header(), ahead.durable.get(i).block().header());
                assertEquals(inline.durable.get(i).block().batches(), ahead.durable.get(i).block().batches());
            }
            for (int level = 0; level <= 1; level++) {
                int n = (int) (size >>> (8 * level));
                assertArrayEquals(inline.storage.tiles().readLevel(level, 0, n), ahead.storage.tiles().readLevel(level, 0, n),
                        "tile level " + level);
            }
        }
    }

    @Test
    void subtreeRootsAreThoseOfTheAlignedWholeTilesOfTheRecord() {
        List<byte[]> digests = new ArrayList<>();
        java.util.Random random = new java.util.Random(24);
        for (int i = 0; i < 1000; i++) {
            byte[] d = new byte[32];
            random.nextBytes(d);
            digests.add(d);
        }
        byte[] record = LeafBatchCodec.encodeLeaves(digests);
        int n = digests.size();
        Rfc9162Hasher hasher = new Rfc9162Hasher();
        LeafHashes ahead = LeafHashes.compute(record, hasher, 1000);
        int head = 24; // 1000 + 24 = 1024, a multiple of 256
        assertEquals((n - head) / 256 * 32, ahead.subtreeRoots().length);
        assertEquals(3 * 32, ahead.subtreeRoots().length);
        for (int k = 0; k * 32 < ahead.subtreeRoots().length; k++) {
            io.tracemark.proofs.merkle.CompactRange r = new io.tracemark.proofs.merkle.CompactRange();
            for (int i = 0; i < 256; i++) {
                r.appendLeafHash(java.util.Arrays.copyOfRange(ahead.leafHashes(), (head + k * 256 + i) * 32, (head + k * 256 + i + 1) * 32));
            }
            assertArrayEquals(r.root(), java.util.Arrays.copyOfRange(ahead.subtreeRoots(), k * 32, k * 32 + 32));
        }
    }

    @Test
    void leafHashesAreTheRfc9162LeafHashesInRecordOrderAndNullForOtherRecords() {
        byte[] record = LocalLog.records(1, 3).get(0);
        byte[] hashes = LogEngine.leafHashes(record, new Rfc9162Hasher());
        List<byte[]> digests = LeafBatchCodec.decodeLeaves(record);
        assertEquals(digests.size() * 32, hashes.length);
        for (int i = 0; i < digests.size(); i++) {
            byte[] one = new byte[32];
            System.arraycopy(hashes, i * 32, one, 0, 32);
            assertArrayEquals(Rfc9162Hasher.leafHash(digests.get(i)), one);
        }
        assertNull(LogEngine.leafHashes(LeafBatchCodec.encodeSeal(5), new Rfc9162Hasher()));
        assertNull(LogEngine.leafHashes(new byte[] {0x01, 0, 0, 0, 9}, new Rfc9162Hasher()));
    }
}
