package io.tracemark.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Small, blocking Kafka helpers for tests: produce, read back, inspect topic config, and wait. */
public final class KafkaTestClient implements AutoCloseable {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private KafkaProducer<String, byte[]> producer;

    /** A client for the given bootstrap servers. */
    public KafkaTestClient(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** A client for the JVM-wide {@link SharedInfra}, starting it if needed. */
    public static KafkaTestClient shared() {
        return new KafkaTestClient(SharedInfra.kafkaBootstrap());
    }

    /** The bootstrap servers this client talks to. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Sends a UTF-8 string value and waits for the broker's acknowledgement. */
    public RecordMetadata send(String topic, String key, String value) {
        return send(topic, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** Sends a UTF-8 string value with UTF-8 string headers and waits for the acknowledgement. */
    public RecordMetadata send(String topic, String key, String value, Map<String, String> headers) {
        Map<String, byte[]> raw = headers.entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey, e -> e.getValue().getBytes(StandardCharsets.UTF_8)));
        return send(topic, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), raw);
    }

    /** Sends raw bytes with raw headers and waits for the acknowledgement. */
    public RecordMetadata send(String topic, String key, byte[] value, Map<String, byte[]> headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, bytes) -> record.headers().add(name, bytes));
        try {
            return producer().send(record).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("sending to " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("sending to " + topic + " was not acknowledged within "
                    + CALL_TIMEOUT.toSeconds() + "s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to " + topic, e);
        }
    }

    /** Reads the first {@code count} records of {@code topic} from the beginning, or fails after {@code timeout}. */
    public List<ConsumerRecord<String, byte[]>> consume(String topic, int count, Duration timeout) {
        return consume(topic, count, timeout, r -> true);
    }

    /**
     * Reads {@code topic} from the beginning until {@code count} records match {@code filter}, or fails after
     * {@code timeout}. The filter is how tests sharing one broker pick out their own records.
     */
    public List<ConsumerRecord<String, byte[]>> consume(String topic, int count, Duration timeout,
            Predicate<ConsumerRecord<String, byte[]>> filter) {
        // Manual assignment instead of a consumer group: no group join to wait for, no committed
        // offsets, so every call sees the whole topic regardless of earlier calls or other tests.
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new AssertionError("topic " + topic + " does not exist on " + bootstrapServers);
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);

            List<ConsumerRecord<String, byte[]>> matched = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (matched.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (matched.size() < count && filter.test(record)) {
                        matched.add(record);
                    }
                }
            }
            if (matched.size() < count) {
                throw new AssertionError("expected " + count + " matching record(s) on " + topic + " within "
                        + timeout.toMillis() + " ms, got " + matched.size() + ": " + describe(matched));
            }
            return matched;
        }
    }

    /** Reads every record of {@code topic} up to its end offsets at the time of the call, or fails after {@code timeout}. */
    public List<ConsumerRecord<String, byte[]>> consumeAll(String topic, Duration timeout) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + end + " within " + timeout);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(all::add);
            }
            return all;
        }
    }

    /** The effective configs of {@code topic} (broker defaults included), by name. */
    public Map<String, String> topicConfig(String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.describeConfigs(List.of(resource)).all()
                    .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(resource).entries().stream()
                    .filter(e -> e.value() != null)
                    .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value));
        } catch (ExecutionException e) {
            throw new IllegalStateException("describing topic " + topic + " failed: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("describing topic " + topic + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topic " + topic, e);
        }
    }

    /** Polls {@code condition} every 100 ms until it holds, failing with {@code description} after {@code timeout}. */
    public static void waitUntil(Duration timeout, String description, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout.toMillis() + " ms: " + description);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + description, e);
            }
        }
    }

    /** The record's value decoded as UTF-8, or {@code null}. */
    public static String valueAsString(ConsumerRecord<?, byte[]> record) {
        return record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    }

    /** The last header named {@code name} decoded as UTF-8, or {@code null} if absent. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Closes the producer, if one was created. */
    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "tracemark-test-producer");
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis() / 2);
            producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private Properties consumerConfig() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tracemark-test-reader");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Tests must not see records of aborted transactions that a service under test rolled back.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }

    private static String describe(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream()
                .map(r -> r.partition() + "@" + r.offset() + " key=" + r.key() + " value=" + valueAsString(r))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
