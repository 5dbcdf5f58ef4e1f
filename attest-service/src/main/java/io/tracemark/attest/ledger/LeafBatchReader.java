package io.tracemark.attest.ledger;

import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.ledger.BatchedRecord;
import io.tracemark.contracts.ledger.LeafBatchRecords;
import io.tracemark.proofs.ledger.LeafBatchCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads leaf batches back from the leaves topic by offset: the durable record → leaf mapping. A sealed block
 * names the offsets of its batches; the records behind them are in each batch's header. Not thread-safe:
 * one reader per stage thread.
 */
public final class LeafBatchReader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LeafBatchReader.class);

    /**
     * A leaf batch as published.
     *
     * @param records the record behind each digest, in leaf order; empty when another producer wrote the batch
     * @param digests the 32-byte digests
     * @param timestampMillis its Kafka timestamp (when the ledger step published it), epoch ms
     */
    public record ReadBatch(List<BatchedRecord> records, List<byte[]> digests, long timestampMillis) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicPartition partition;

    /** A reader of partition 0 of {@code topic}. */
    public LeafBatchReader(String bootstrap, String topic) {
        this.consumer = io.tracemark.attest.kafka.KafkaClients.consumer(bootstrap, null, "attest-leaves-reader", 500);
        this.partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
    }

    /** The batches at {@code offsets}; fails if one cannot be read within {@code timeout}. */
    public Map<Long, ReadBatch> read(Collection<Long> offsets, Duration timeout) {
        Map<Long, ReadBatch> out = new HashMap<>();
        if (offsets.isEmpty()) {
            return out;
        }
        TreeSet<Long> wanted = new TreeSet<>(offsets);
        consumer.seek(partition, wanted.first());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!wanted.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("leaf batches at offsets " + wanted + " not readable within " + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (wanted.remove(r.offset())) {
                    out.put(r.offset(), decode(r));
                }
            }
            if (!wanted.isEmpty() && consumer.position(partition) > wanted.first()) {
                // Skipped over (not a committed record at that offset): nothing can be found there.
                throw new IllegalStateException("no committed leaf batch at offset " + wanted.first());
            }
        }
        return out;
    }

    private static ReadBatch decode(ConsumerRecord<byte[], byte[]> r) {
        List<byte[]> digests = LeafBatchCodec.decodeLeaves(r.value());
        Header h = r.headers().lastHeader(LeafBatchRecords.HEADER);
        if (h == null) {
            LOG.debugf("leaf batch at offset %d has no %s header: not published by attest", r.offset(), LeafBatchRecords.HEADER);
            return new ReadBatch(List.of(), digests, r.timestamp());
        }
        try {
            return new ReadBatch(LeafBatchRecords.decode(h.value(), digests.size()), digests, r.timestamp());
        } catch (ContractViolation e) {
            LOG.errorf(e, "leaf batch at offset %d is unreadable (%s); its leaves get no receipt event", r.offset(), e.code());
            return new ReadBatch(new ArrayList<>(), digests, r.timestamp());
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
