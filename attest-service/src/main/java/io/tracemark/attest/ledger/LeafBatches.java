package io.tracemark.attest.ledger;

import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.ledger.BatchedRecord;
import io.tracemark.contracts.ledger.LeafBatchRecords;
import io.tracemark.proofs.ledger.LeafBatchCodec;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Leaf batches as records of the single-partition leaves topic: the value is the ledger's wire format
 * ({@link LeafBatchCodec}: the digests, which is all the chain node reads) and the header
 * {@link LeafBatchRecords#HEADER} names the record behind each digest, so the topic alone maps leaves back
 * to records after any restart.
 */
public final class LeafBatches {
    private static final HexFormat HEX = HexFormat.of();

    private LeafBatches() {
    }

    /** One leaves-topic record for {@code requests} (1 to {@link LeafBatchCodec#MAX_LEAVES_PER_RECORD}). */
    public static ProducerRecord<byte[], byte[]> record(String topic, List<AnchorRequest> requests) {
        return record(topic, batch(requests));
    }

    /** The leaves-topic record of a batch; its timestamp is left to the producer. */
    public static ProducerRecord<byte[], byte[]> record(String topic, LeafBatchReader.ReadBatch batch) {
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(topic, 0, null, LeafBatchCodec.encodeLeaves(batch.digests()));
        out.headers().add(LeafBatchRecords.HEADER, LeafBatchRecords.encode(batch.records()));
        return out;
    }

    /** The batch of {@code requests} as the anchoring step reads it back (timestamp not known yet: -1). */
    public static LeafBatchReader.ReadBatch batch(List<AnchorRequest> requests) {
        List<byte[]> digests = new ArrayList<>(requests.size());
        List<BatchedRecord> records = new ArrayList<>(requests.size());
        for (AnchorRequest r : requests) {
            digests.add(HEX.parseHex(r.digest()));
            records.add(new BatchedRecord(r.recordId(), r.tenant(), r.type(), r.acceptedAt().toEpochMilli()));
        }
        return new LeafBatchReader.ReadBatch(records, digests, -1);
    }

    /** Splits requests into batches of at most {@code max} (bounded by the codec's limit). */
    public static List<List<AnchorRequest>> split(List<AnchorRequest> requests, int max) {
        int n = Math.max(1, Math.min(max, LeafBatchCodec.MAX_LEAVES_PER_RECORD));
        List<List<AnchorRequest>> out = new ArrayList<>();
        for (int i = 0; i < requests.size(); i += n) {
            out.add(requests.subList(i, Math.min(requests.size(), i + n)));
        }
        return out;
    }
}
