package io.tracemark.localstack;

import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventCodec;
import io.tracemark.contracts.events.EventTypes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A tenant's events as the event log, {@code tracemark.events}, holds them (committed only, in log
 * order per partition): where the tests learn that a record was accepted or anchored, now that no
 * store keeps per-record anchoring state.
 */
final class EventLog {
    static final String TOPIC = "tracemark.events";
    private final List<Event> events;

    private EventLog(List<Event> events) {
        this.events = events;
    }

    /** Reads the whole topic, as far as it is committed now, keeping {@code tenant}'s events (the message key). */
    static EventLog read(String bootstrap, String tenant) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        byte[] key = tenant.getBytes(StandardCharsets.UTF_8);
        List<Event> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(TOPIC).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofSeconds(1))) {
                    if (r.value() == null || !Arrays.equals(r.key(), key)) {
                        continue;
                    }
                    try {
                        out.add(EventCodec.decode(r.value(), name -> {
                            Header h = r.headers().lastHeader(name);
                            return h == null ? null : h.value();
                        }));
                    } catch (ContractViolation e) {
                        // Not an event as contracts defines it: not evidence of anything the tests look for.
                    }
                }
            }
        }
        return new EventLog(out);
    }

    /** Every event read, in the order read. */
    List<Event> all() {
        return events;
    }

    /** The first event of {@code type} about record {@code recordId}. */
    Optional<Event> find(String type, String recordId) {
        return events.stream().filter(e -> e.type().equals(type) && recordId.equals(e.data().path("recordId").asText(null)))
                .findFirst();
    }

    /** When each record was accepted, from {@code record.accepted} (data.acceptedAt, else the event's timestamp). */
    Map<String, Instant> acceptedAt() {
        Map<String, Instant> out = new HashMap<>();
        for (Event e : events) {
            if (e.type().equals(EventTypes.RECORD_ACCEPTED)) {
                out.putIfAbsent(e.data().path("recordId").asText(), instant(e.data().path("acceptedAt").asText(null), e.timestamp()));
            }
        }
        return out;
    }

    /** Record ids with a {@code record.anchored} event. */
    List<String> anchoredRecordIds() {
        return events.stream().filter(e -> e.type().equals(EventTypes.RECORD_ANCHORED))
                .map(e -> e.data().path("recordId").asText()).distinct().toList();
    }

    /** Events by type. */
    Map<String, Long> countByType() {
        Map<String, Long> out = new java.util.TreeMap<>();
        events.forEach(e -> out.merge(e.type(), 1L, Long::sum));
        return out;
    }

    private static Instant instant(String text, Instant fallback) {
        try {
            return text == null ? fallback : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }
}
