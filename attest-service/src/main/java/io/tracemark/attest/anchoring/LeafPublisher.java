package io.tracemark.attest.anchoring;

import io.tracemark.proofs.ledger.LeafBatchCodec;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/**
 * Publishes leaf batches to the chain's leaves topic, keyed by their batch id, and finds a batch on the
 * topic again after a crash or a failed send.
 *
 * <p>A plain idempotent producer rather than a messaging channel, because attest needs the offset the
 * broker assigned to each batch: the chain node's blocks name the offsets they cover, which is how
 * attest maps its records to leaf indices. The batch id as record key is what makes a lost
 * acknowledgement recoverable without a second leaf: before republishing, {@link #find} reads the topic
 * from the last offset attest knew and looks for the key.
 */
@ApplicationScoped
public class LeafPublisher {
    private final KafkaProducer<String, byte[]> producer;
    private final String bootstrap;
    private final String topic;

    public LeafPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
                         @ConfigProperty(name = "tracemark.topics.chain-leaves") String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // A failed future must mean the producer has given up on the record, so a scan after it is final.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "attest-leaves");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.bootstrap = bootstrap;
        this.topic = topic;
    }

    /** Publishes one batch of hex record digests under its batch id; returns its offset on the single partition. */
    public long publish(String batchId, List<String> digests) {
        HexFormat hex = HexFormat.of();
        List<byte[]> raw = digests.stream().map(hex::parseHex).toList();
        try {
            RecordMetadata m = producer.send(new ProducerRecord<>(topic, 0, batchId, LeafBatchCodec.encodeLeaves(raw))).get();
            return m.offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing a leaf batch", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("leaf batch not acknowledged by the broker: " + e.getCause(), e);
        }
    }

    /**
     * Looks for the record keyed {@code batchId} on the leaves topic from offset {@code from} to the current
     * end, and returns its offset if it is there.
     */
    public OptionalLong find(String batchId, long from) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "attest-leaves-scan");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            long end = c.endOffsets(List.of(tp), Duration.ofSeconds(15)).get(tp);
            long begin = c.beginningOffsets(List.of(tp), Duration.ofSeconds(15)).get(tp);
            long start = Math.max(begin, from);
            if (start >= end) {
                return OptionalLong.empty();
            }
            c.seek(tp, start);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long position = start;
            while (position < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("scanning the leaves topic from " + start + " to " + end + " timed out");
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (batchId.equals(r.key())) {
                        return OptionalLong.of(r.offset());
                    }
                }
                position = c.position(tp);
            }
            return OptionalLong.empty();
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
