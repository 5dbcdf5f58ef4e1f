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
            ahead.apply(records.size(), LeafBatchCodec.encodeSeal(0), null);
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
