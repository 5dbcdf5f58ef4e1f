package io.tracemark.attest.ledger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tracemark.contracts.ledger.BatchedRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PublishedBatchesTest {
    private static LeafBatchReader.ReadBatch batch(int leaves, long timestamp) {
        List<BatchedRecord> records = new ArrayList<>();
        List<byte[]> digests = new ArrayList<>();
        for (int i = 0; i < leaves; i++) {
            records.add(new BatchedRecord("r" + timestamp + "-" + i, "acme", "product.batch", timestamp));
            digests.add(new byte[32]);
        }
        return new LeafBatchReader.ReadBatch(records, digests, timestamp);
    }

    @Test
    void aBlocksCommittedBatchesComeFromMemoryOnceAndTheRestAreLeftToTheTopic() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        PublishedBatches p = new PublishedBatches(100, meters);
        p.offer(7, batch(3, 1_000));
        p.offer(9, batch(2, 1_001));
        Map<Long, LeafBatchReader.ReadBatch> got = p.take(List.of(7L, 8L, 9L));
        assertEquals(List.of(7L, 9L), got.keySet().stream().sorted().toList());
        assertEquals(1_000, got.get(7L).timestampMillis());
        assertEquals(3, got.get(7L).records().size());
        assertEquals(Map.of(), p.take(List.of(7L)), "taken once: a replayed block reads the topic");
        assertEquals(2.0, meters.get("tracemark.attest.leaf.batches.read").tag("from", "memory").counter().count());
        assertEquals(2.0, meters.get("tracemark.attest.leaf.batches.read").tag("from", "topic").counter().count());
    }

    @Test
    void keepsAtMostTheConfiguredLeavesDroppingTheOldestBatches() {
        PublishedBatches p = new PublishedBatches(5, new SimpleMeterRegistry());
        p.offer(1, batch(2, 1));
        p.offer(2, batch(2, 2));
        p.offer(3, batch(2, 3));
        assertEquals(2, p.size());
        assertEquals(List.of(2L, 3L), p.take(List.of(1L, 2L, 3L)).keySet().stream().sorted().toList());
    }
}
