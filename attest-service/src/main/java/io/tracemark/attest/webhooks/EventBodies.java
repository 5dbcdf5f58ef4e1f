package io.tracemark.attest.webhooks;

import io.tracemark.attest.erasure.ErasedRecords;
import io.tracemark.attest.erasure.Redaction;
import io.tracemark.contracts.Json;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.attest.kafka.KafkaClients;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The body of a webhook message whose event is on {@code tracemark.events}: messages keep only the event's
 * position ({@code eventAt}), since the event store already holds the body (a {@code record.anchored} body
 * carries a whole receipt), and the body is read back for a retry or replay after a restart. A body that
 * the topic no longer retains makes the attempt fail, which the schedule then reports.
 */
@ApplicationScoped
public class EventBodies {
    private final String bootstrap;
    private KafkaConsumer<byte[], byte[]> consumer;

    private final ErasedRecords erased;

    public EventBodies(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, ErasedRecords erased) {
        this.bootstrap = bootstrap;
        this.erased = erased;
    }

    /** Where an event is: its topic, partition and offset, as stored in a message's {@code eventAt}. */
    static Document position(String topic, int partition, long offset) {
        return new Document("topic", topic).append("partition", partition).append("offset", offset);
    }

    /**
     * The body to send for message {@code m}, as UTF-8: inline (bytes as fanned out, or a string), or read from
     * the event store at its {@code eventAt}.
     */
    public byte[] of(Document m) {
        Object inline = m.get("body");
        if (inline instanceof byte[] bytes) {
            return bytes;
        }
        if (inline instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        return readBack(m);
    }

    private synchronized byte[] readBack(Document m) {
        Document at = m.get("eventAt", Document.class);
        if (at == null) {
            throw new IllegalStateException("webhook message " + m.getString("_id") + " has neither a body nor an event position");
        }
        TopicPartition tp = new TopicPartition(at.getString("topic"), at.getInteger("partition"));
        long offset = at.get("offset", Number.class).longValue();
        if (consumer == null) {
            consumer = KafkaClients.consumer(bootstrap, null, "attest-webhook-bodies", 1);
        }
        consumer.assign(List.of(tp));
        consumer.seek(tp, offset);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() == offset) {
                    return withoutErasedContent(new String(r.value(), StandardCharsets.UTF_8), m.getString("type"))
                            .getBytes(StandardCharsets.UTF_8);
                }
                if (r.offset() > offset) {
                    throw new IllegalStateException("event at " + tp + "/" + offset + " is no longer retained");
                }
            }
        }
        throw new IllegalStateException("event at " + tp + "/" + offset + " not readable within 10 s");
    }

    /** The body read back, without the content its record's registrant erased since the event was written. */
    private String withoutErasedContent(String body, String type) {
        if (!EventTypes.RECORD_ANCHORED.equals(type)) {
            return body;
        }
        String recordId;
        try {
            recordId = Json.MAPPER.readTree(body).path("data").path("recordId").asText(null);
        } catch (java.io.IOException e) {
            return body;
        }
        return recordId != null && !erased.among(List.of(recordId)).isEmpty() ? Redaction.redactBody(body) : body;
    }

    @PreDestroy
    synchronized void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(1));
        }
    }
}
