package io.tracemark.attest.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Settings of attest's plain Kafka clients. The pipeline uses the client API directly because its
 * exactly-once steps need what the messaging channels hide: a transaction spanning several topics and the
 * consumer's offsets ({@code sendOffsetsToTransaction}), explicit partitions and offsets of the leaves topic.
 */
public final class KafkaClients {
    private KafkaClients() {
    }

    /**
     * A consumer of committed data only ({@code read_committed}: aborted transactions never reach a stage),
     * with offsets committed by the stage itself, inside its transaction.
     */
    public static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String groupId, String clientId, int maxPoll) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPoll);
        // A killed consumer is noticed in 10 s rather than 45 s, so its partitions move on quickly.
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A transactional producer whose id is stable per instance ({@code instanceId}) and role. Fencing of a
     * zombie comes from the consumer group generation passed to {@code sendOffsetsToTransaction} (KIP-447);
     * the stable id is for recovery: a restarted instance aborts the transaction its killed predecessor left
     * open at once, instead of every {@code read_committed} reader (the chain node) waiting for that
     * transaction's timeout, which is short anyway because a step's transaction lasts milliseconds.
     */
    public static KafkaProducer<byte[], byte[]> transactional(String bootstrap, String role, String instanceId) {
        Map<String, Object> p = producerSettings(bootstrap, role);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tracemark-attest-" + role + "-" + instanceId);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    /** An idempotent, non-transactional producer for events raised outside a consume-produce step. */
    public static KafkaProducer<byte[], byte[]> idempotent(String bootstrap, String role) {
        return new KafkaProducer<>(producerSettings(bootstrap, role), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Map<String, Object> producerSettings(String bootstrap, String role) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "attest-" + role);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        return p;
    }
}
