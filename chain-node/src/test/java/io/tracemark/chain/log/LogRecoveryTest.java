package io.tracemark.chain.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracemark.chain.tiles.TreeHashReader;
import io.tracemark.proofs.ledger.LeafBatchCodec;
import io.tracemark.proofs.merkle.InMemoryHashStore;
import io.tracemark.proofs.merkle.StoredHashes;
import io.tracemark.proofs.merkle.Tlog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRecoveryTest {
    private static final List<byte[]> RECORDS = LocalLog.records(60, 7);

    @TempDir
    Path dir;

    private static InMemoryHashStore reference(int records) {
        InMemoryHashStore ref = new InMemoryHashStore();
        for (byte[] r : RECORDS.subList(0, records)) {
            if (r[0] == LeafBatchCodec.LEAVES) {
                LeafBatchCodec.decodeLeaves(r).forEach(ref::appendData);
            }
        }
        return ref;
    }

    private static void applyAll(LocalLog log) {
        for (long o = log.engine.nextOffset(); o < RECORDS.size(); o++) {
            log.apply(o, RECORDS.get((int) o));
        }
    }

    /** Applies the first {@code records} records and waits until a block is durable. */
    private static void applyFirst(LocalLog log, int records) {
        for (int o = 0; o < records; o++) {
            log.apply(o, RECORDS.get(o));
        }
        log.awaitDurable(1);
    }

    /** Applies the rest of the topic plus a seal marker; checks the final root; returns the final state. */
    private static LogState applyRestAndCheckRoot(LocalLog log) {
        applyAll(log);
        log.apply(RECORDS.size(), LeafBatchCodec.encodeSeal(0));
        InMemoryHashStore ref = reference(RECORDS.size());
        log.awaitDurable(ref.size());
        LogState last = log.durable.get(log.durable.size() - 1).state();
        assertArrayEquals(ref.root(), last.lastHeader().root());
        return last;
    }

    @Test
    void storedTreeMatchesAReferenceTreeNodeForNode() throws Exception {
        InMemoryHashStore ref = reference(RECORDS.size());
        try (LocalLog log = new LocalLog(dir, 4096)) {
            applyAll(log);
            log.apply(RECORDS.size(), LeafBatchCodec.encodeSeal(0));
            log.awaitDurable(ref.size());
            TreeHashReader reader = new TreeHashReader(log.storage.tiles(), ref.size());
            Random r = new Random(1);
            long stored = StoredHashes.storedHashCount(ref.size());
            for (int i = 0; i < 2000; i++) {
                long[] idx = {Math.floorMod(r.nextLong(), stored)};
                var node = StoredHashes.splitStoredHashIndex(idx[0]);
                if (((node.index() + 1) << node.level()) <= ref.size()) {
                    assertArrayEquals(ref.readHashes(idx)[0], reader.readHashes(idx)[0], node.toString());
                }
            }
            assertArrayEquals(ref.root(), Tlog.treeHash(ref.size(), reader));
            LogState last = log.durable.get(log.durable.size() - 1).state();
            for (Commit c : log.durable) {
                SealedBlock b = c.block();
                assertEquals(b, log.storage.blocks().read(b.header().height(), last.blocks(), last.blocksDataLength()));
            }
        }
    }

    @Test
    void restartResumesFromTheStoredOffsetAndBuildsTheSameTree() throws Exception {
        try (LocalLog log = new LocalLog(dir, 1000)) {
            applyFirst(log, 30);
        }
        try (LocalLog log = new LocalLog(dir, 1000)) {
            assertTrue(log.engine.nextOffset() > 0 && log.engine.nextOffset() <= 30);
            applyRestAndCheckRoot(log);
        }
    }

    @Test
    void tornWritesAfterTheLastStateAreCutAwayAndReapplied() throws Exception {
        LocalLog crashed = new LocalLog(dir, 1000);
        applyFirst(crashed, 25);
        crashed.storage.tiles().flush();
        crashed.abandon();
        LogState before = new StateFile(dir.resolve("log")).read().orElseThrow();
        // A half-written leaf, level hash and block, as kill -9 in the middle of a write leaves them.
        appendGarbage(dir.resolve("log/tree/entries.bin"), 45);
        appendGarbage(dir.resolve("log/tree/level-1.bin"), 7);
        appendGarbage(dir.resolve("log/blocks.bin"), 99);
        appendGarbage(dir.resolve("log/blocks.idx"), 3);
        Files.writeString(dir.resolve("log/state.bin.tmp"), "half a state");

        try (LocalLog log = new LocalLog(dir, 1000)) {
            assertEquals(before, log.storage.state());
            LogState last = applyRestAndCheckRoot(log);
            for (long h = 1; h < last.blocks(); h++) {
                assertTrue(log.storage.blocks().read(h, last.blocks(), last.blocksDataLength()).header()
                        .follows(log.storage.blocks().read(h - 1, last.blocks(), last.blocksDataLength()).header()));
            }
        }
    }

    @Test
    void damagedStateOrMissingTreeDataRebuildsFromOffsetZero() throws Exception {
        try (LocalLog log = new LocalLog(dir, 1000)) {
            applyFirst(log, 20);
        }
        Files.write(dir.resolve("log/tree/entries.bin"), new byte[64]);
        try (LocalLog log = new LocalLog(dir, 1000)) {
            assertEquals(LogState.EMPTY, log.storage.state());
        }
        try (LocalLog log = new LocalLog(dir, 1000)) {
            applyFirst(log, 20);
        }
        byte[] state = Files.readAllBytes(dir.resolve("log/state.bin"));
        state[20] ^= 1;
        Files.write(dir.resolve("log/state.bin"), state);
        try (LocalLog log = new LocalLog(dir, 1000)) {
            assertEquals(LogState.EMPTY, log.storage.state());
            applyRestAndCheckRoot(log);
        }
    }

    @Test
    void leafIndexFindsCommittedLeavesByLeafHash() throws Exception {
        InMemoryHashStore ref = reference(RECORDS.size());
        try (LocalLog log = new LocalLog(dir, 1000)) {
            applyAll(log);
            log.apply(RECORDS.size(), LeafBatchCodec.encodeSeal(0));
            log.awaitDurable(ref.size());
            var tiles = log.storage.tiles();
            for (long i = 0; i < ref.size(); i += 97) {
                byte[] h = ref.readHashes(new long[] {StoredHashes.storedHashIndex(0, i)})[0];
                assertEquals(i, log.storage.index().find(h, ref.size(), j -> tiles.readLevel(0, j, 1)));
                assertEquals(-1, log.storage.index().find(h, i, j -> tiles.readLevel(0, j, 1)));
            }
            assertEquals(-1, log.storage.index().find(new byte[32], ref.size(), j -> tiles.readLevel(0, j, 1)));
        }
    }

    @Test
    void leafIndexLosingWritesInAnOsCrashIsExtendedFromTheEntriesOnOpen() throws Exception {
        long durableBefore;
        try (LocalLog log = new LocalLog(dir, 1000)) {
            applyFirst(log, 20);
            durableBefore = log.durable.get(log.durable.size() - 1).state().treeSize();
        }
        Path indexDir = dir.resolve("log/leaf-index");
        Path snapshot = Files.createDirectories(dir.resolve("index-snapshot"));
        for (Path f : listFiles(indexDir)) {
            Files.copy(f, snapshot.resolve(f.getFileName()));
        }
        long size;
        try (LocalLog log = new LocalLog(dir, 1000)) {
            size = applyRestAndCheckRoot(log).treeSize();
        }
        // The OS lost every table write made after the watermark; the committed state survived.
        for (Path f : listFiles(snapshot)) {
            Files.copy(f, indexDir.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertEquals(durableBefore, new LeafIndex(indexDir).durableSize());
        assertAllLeavesFound(size);
        // With no tables at all (as in a data dir from before the watermark) every leaf is re-indexed.
        for (Path f : listFiles(indexDir)) {
            Files.delete(f);
        }
        assertAllLeavesFound(size);
    }

    private void assertAllLeavesFound(long size) throws Exception {
        InMemoryHashStore ref = reference(RECORDS.size());
        try (LocalLog log = new LocalLog(dir, 1000)) {
            assertEquals(size, log.storage.state().treeSize());
            assertEquals(size, log.storage.index().durableSize());
            var tiles = log.storage.tiles();
            for (long i = 0; i < size; i++) {
                byte[] h = ref.readHashes(new long[] {StoredHashes.storedHashIndex(0, i)})[0];
                assertEquals(i, log.storage.index().find(h, size, j -> tiles.readLevel(0, j, 1)), "leaf " + i);
            }
        }
    }

    private static List<Path> listFiles(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static void appendGarbage(Path file, int n) throws IOException {
        byte[] junk = new byte[n];
        new Random(n).nextBytes(junk);
        Files.write(file, junk, StandardOpenOption.APPEND);
    }
}
