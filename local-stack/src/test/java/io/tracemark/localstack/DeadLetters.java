package io.tracemark.localstack;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** The dead-letter topic, {@code tracemark.records.dlq}, as far as it is written now. */
final class DeadLetters {
    static final String TOPIC = "tracemark.records.dlq";

    private DeadLetters() {
    }

    /** The RFC 9457 problem (JSON text) of the dead letter whose key is {@code key}, if there is one yet. */
    static Optional<String> problemOf(String bootstrap, String key) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(TOPIC).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofSeconds(1))) {
                    Header h = r.headers().lastHeader("tracemark-problem");
                    if (Arrays.equals(r.key(), k) && h != null) {
                        return Optional.of(new String(h.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
