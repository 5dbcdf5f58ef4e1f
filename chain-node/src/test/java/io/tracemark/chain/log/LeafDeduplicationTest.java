package io.tracemark.chain.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracemark.proofs.ledger.LeafBatchCodec;
import io.tracemark.proofs.merkle.InMemoryHashStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger appends each leaf hash once; repeated digests are recorded as skipped, the same on every replica. */
class LeafDeduplicationTest {
    @TempDir
    Path dir;

    /** An engine over real storage whose blocks are committed as soon as they are cut. */
    private static final class Ledger implements AutoCloseable {
        final LogStorage storage;
        final LogEngine engine;
        final List<SealedBlock> blocks = new ArrayList<>();
        long offset;

        Ledger(Path dir, int maxLeaves, int maxBatches) {
            storage = LogStorage.open(dir);
            engine = new LogEngine(storage.tiles(), storage.blocks(), storage.index(), storage.range(), storage.state(),
                    maxLeaves, maxBatches);
            offset = engine.nextOffset();
        }

        Ledger(Path dir) {
            this(dir, 1_000_000, 8192);
        }

        /** Applies the next record; returns the block it cut, or null. */
        SealedBlock apply(byte[] value) {
            Commit c = engine.apply(offset, 1_700_000_000_000L + offset, value);
            offset++;
            if (c == null) {
                return null;
            }
            storage.commit(c.state());
            blocks.add(c.block());
            return c.block();
        }

        SealedBlock leaves(byte[]... digests) {
            return apply(LeafBatchCodec.encodeLeaves(List.of(digests)));
        }

        SealedBlock seal() {
            return apply(LeafBatchCodec.encodeSeal(0));
        }

        @Override
        public void close() {
            storage.close();
        }
    }

    private static byte[] digest(int seed) {
        byte[] d = new byte[32];
        new Random(seed).nextBytes(d);
        return d;
    }

    private static byte[] root(byte[]... digests) {
        InMemoryHashStore ref = new InMemoryHashStore();
        for (byte[] d : digests) {
            ref.appendData(d);
        }
        return ref.root();
    }

    @Test
    void skipsADigestAlreadyInTheTree() {
        byte[] a = digest(1), b = digest(2), c = digest(3), d = digest(4), e = digest(5);
        try (Ledger ledger = new Ledger(dir)) {
            ledger.leaves(a, b, c);
            assertNotNull(ledger.seal());
            assertNull(ledger.leaves(d, b, e));
            SealedBlock block = ledger.seal();

            assertArrayEquals(root(a, b, c, d, e), block.header().root(), "the tree without the repeated digest");
            assertEquals(5, block.header().treeSize());
            assertEquals(2, block.header().leafCount());
            assertEquals(List.of(new Batch(2, 3, 2, List.of(1))), block.batches());
        }
    }

    @Test
    void skipsADigestOfAnEarlierRecordThatIsNotSealedOrFlushedYet() {
        byte[] a = digest(1), b = digest(2), c = digest(3);
        try (Ledger ledger = new Ledger(dir)) {
            assertNull(ledger.leaves(a, b));
            // a is still in the entries' write buffer: the candidate check must read it from there.
            assertNull(ledger.leaves(c, a));
            SealedBlock block = ledger.seal();

            assertArrayEquals(root(a, b, c), block.header().root());
            assertEquals(List.of(new Batch(0, 0, 2), new Batch(1, 2, 1, List.of(1))), block.batches());
        }
    }

    @Test
    void skipsADuplicateInsideOneRecord() {
        byte[] a = digest(1), b = digest(2), c = digest(3);
        try (Ledger ledger = new Ledger(dir)) {
            ledger.leaves(digest(9));
            ledger.leaves(a, b, a, c, b, a);
            SealedBlock block = ledger.seal();

            assertArrayEquals(root(digest(9), a, b, c), block.header().root());
            assertEquals(new Batch(1, 1, 3, List.of(2, 4, 5)), block.batches().get(1));
        }
    }

    @Test
    void allDuplicateRecordsAndSealMarkersCutNothingAndJoinTheNextBlockWithLeaves() {
        byte[] a = digest(1), b = digest(2), c = digest(3);
        try (Ledger ledger = new Ledger(dir, 1_000_000, 2)) {
            ledger.leaves(a, b);
            SealedBlock first = ledger.seal();
            assertNotNull(first);

            assertNull(ledger.leaves(b, a), "no new leaf");
            assertNull(ledger.leaves(a), "the batch limit is reached without a new leaf");
            assertNull(ledger.seal(), "a seal marker with only duplicates pending");
            assertEquals(0, ledger.engine.pendingLeaves());
            SealedBlock next = ledger.leaves(c);

            assertNotNull(next, "the batch limit cuts once a leaf is pending");
            assertEquals(first.header().height() + 1, next.header().height());
            assertEquals(2, next.header().firstLeafIndex());
            assertEquals(1, next.header().leafCount());
            assertEquals(2, next.leavesFromOffset());
            assertEquals(5, next.leavesToOffset());
            assertEquals(List.of(new Batch(2, 2, 0, List.of(0, 1)), new Batch(3, 2, 0, List.of(0)), new Batch(5, 2, 1)),
                    next.batches());
            assertArrayEquals(root(a, b, c), next.header().root());
        }
    }

    /** Leaf batches with repeats of earlier digests, repeats within a record, all-repeat records and seal markers. */
    private static List<byte[]> recordsWithRepeats(int count, long seed) {
        Random r = new Random(seed);
        List<byte[]> seen = new ArrayList<>();
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % 5 == 4) {
                out.add(LeafBatchCodec.encodeSeal(0));
                continue;
            }
            boolean allRepeats = i % 11 == 10 && !seen.isEmpty();
            int n = 1 + r.nextInt(300);
            List<byte[]> digests = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (allRepeats || (!seen.isEmpty() && r.nextInt(4) == 0)) {
                    digests.add(seen.get(r.nextInt(seen.size())));
                } else if (!digests.isEmpty() && r.nextInt(20) == 0) {
                    digests.add(digests.get(r.nextInt(digests.size())));
                } else {
                    byte[] d = new byte[32];
                    r.nextBytes(d);
                    digests.add(d);
                }
            }
            seen.addAll(digests);
            out.add(LeafBatchCodec.encodeLeaves(digests));
        }
        return out;
    }

    @Test
    void twoEnginesOverTheSameRecordsProduceIdenticalBlocksEvenAcrossARestart() {
        List<byte[]> records = recordsWithRepeats(120, 11);
        records.add(LeafBatchCodec.encodeSeal(0));
        List<SealedBlock> straight;
        try (Ledger ledger = new Ledger(dir.resolve("a"), 5000, 8192)) {
            records.forEach(ledger::apply);
            straight = ledger.blocks;
        }
        List<SealedBlock> restarted = new ArrayList<>();
        try (Ledger ledger = new Ledger(dir.resolve("b"), 5000, 8192)) {
            // Unsealed records after the last cut are lost with the process and re-applied from the topic.
            for (int o = 0; o < 68; o++) {
                ledger.apply(records.get(o));
            }
            restarted.addAll(ledger.blocks);
        }
        try (Ledger ledger = new Ledger(dir.resolve("b"), 5000, 8192)) {
            assertTrue(ledger.offset < 68, "resumes before the unsealed tail");
            for (long o = ledger.offset; o < records.size(); o++) {
                ledger.apply(records.get((int) o));
            }
            restarted.addAll(ledger.blocks);
        }

        assertEquals(straight, restarted);
        for (int i = 0; i < straight.size(); i++) {
            assertArrayEquals(BlockCodec.encode(straight.get(i)), BlockCodec.encode(restarted.get(i)));
        }
        // Reference: each distinct digest once, in first-seen order; every position accounted for.
        InMemoryHashStore ref = new InMemoryHashStore();
        Set<String> distinct = new HashSet<>();
        long skipped = 0;
        for (byte[] r : records) {
            if (r[0] == LeafBatchCodec.LEAVES) {
                for (byte[] d : LeafBatchCodec.decodeLeaves(r)) {
                    if (distinct.add(java.util.HexFormat.of().formatHex(d))) {
                        ref.appendData(d);
                    } else {
                        skipped++;
                    }
                }
            }
        }
        SealedBlock last = straight.get(straight.size() - 1);
        assertArrayEquals(ref.root(), last.header().root());
        assertEquals(ref.size(), last.header().treeSize());
        long recordedSkips = straight.stream().flatMap(b -> b.batches().stream()).mapToLong(b -> b.skipped().size()).sum();
        assertEquals(skipped, recordedSkips);
        assertTrue(straight.stream().flatMap(b -> b.batches().stream()).anyMatch(b -> b.count() == 0),
                "an all-duplicate record was carried into a block");
    }

    @Test
    void everyLeafIsFoundInTheBlockThatAppendedIt() {
        List<byte[]> records = recordsWithRepeats(60, 5);
        records.add(LeafBatchCodec.encodeSeal(0));
        try (Ledger ledger = new Ledger(dir, 700, 8192)) {
            records.forEach(ledger::apply);
            long blocks = ledger.blocks.size();
            assertTrue(blocks > 5);
            BlockStore store = ledger.storage.blocks();
            for (SealedBlock b : ledger.blocks) {
                long first = b.header().firstLeafIndex();
                long end = b.header().treeSize();
                for (long leaf : new long[] {first, (first + end) / 2, end - 1}) {
                    assertEquals(b.header().height(), store.heightOfLeaf(leaf, blocks), "leaf " + leaf);
                }
            }
            long size = ledger.blocks.get((int) blocks - 1).header().treeSize();
            assertEquals(-1, store.heightOfLeaf(size, blocks), "beyond the last block");
            assertEquals(-1, store.heightOfLeaf(ledger.blocks.get(2).header().treeSize(), 3),
                    "a leaf sealed later is not in the first three blocks");
        }
    }
}
