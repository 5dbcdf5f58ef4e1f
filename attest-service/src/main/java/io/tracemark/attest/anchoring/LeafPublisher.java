package io.tracemark.attest.anchoring;

import io.tracemark.proofs.ledger.LeafBatchCodec;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes leaf batches to the chain's leaves topic.
 *
 * <p>A plain idempotent producer rather than a messaging channel, because attest needs the offset the
 * broker assigned to each batch: the chain node's blocks name the offsets they cover, which is how
 * attest maps its records to leaf indices.
 */
@ApplicationScoped
public class LeafPublisher {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public LeafPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
                         @ConfigProperty(name = "tracemark.topics.chain-leaves") String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "attest-leaves");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    /** Publishes one batch of record digests and returns its offset on the (single-partition) topic. */
    public long publish(List<AnchorRequest> batch) {
        HexFormat hex = HexFormat.of();
        List<byte[]> digests = batch.stream().map(r -> hex.parseHex(r.digest())).toList();
        try {
            RecordMetadata m = producer.send(new ProducerRecord<>(topic, 0, null, LeafBatchCodec.encodeLeaves(digests)))
                    .get(60, TimeUnit.SECONDS);
            return m.offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing a leaf batch", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("leaf batch not acknowledged by the broker: " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
