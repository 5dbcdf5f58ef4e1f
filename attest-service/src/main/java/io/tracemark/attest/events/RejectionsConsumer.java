package io.tracemark.attest.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.common.annotation.Blocking;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.contracts.gs1.Gtin14;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import org.eclipse.microprofile.faulttolerance.Retry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns dead-lettered records ({@code tracemark.records.dlq}) into {@code record.rejected} events for the
 * tenant named in the {@code tracemark-tenant} header, carrying the RFC 9457 reason from
 * {@code tracemark-problem} and the producer's idempotency key when the original envelope has one.
 */
@ApplicationScoped
public class RejectionsConsumer {
    private static final Logger LOG = Logger.getLogger(RejectionsConsumer.class);
    /** RFC 9457 type of a record dead-lettered for naming a tenant nobody set up. */
    private static final String TENANT_UNKNOWN = "https://tracemark.dev/problems/tenant-unknown";

    @Inject
    EventLog events;
    @Inject
    ObjectMapper json;

    @Incoming("records-dlq")
    @Blocking
    // Bounded: after ten minutes of failing appends the channel fails, which liveness reports; the dead
    // letters themselves stay on their topic and are read again after a restart.
    @Retry(maxRetries = -1, delay = 200, maxDuration = 600_000, jitter = 100)
    @ExponentialBackoff(maxDelay = 10_000)
    public void consume(ConsumerRecords<String, byte[]> records) {
        List<Event> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            String tenant = header(r, "tracemark-tenant");
            if (tenant == null || tenant.isBlank()) {
                // No tenant to tell; the record stays on the DLQ topic for the operator.
                LOG.warnf("dead letter %d/%d has no tenant header; no event raised", r.partition(), r.offset());
                continue;
            }
            JsonNode problem = parse(header(r, "tracemark-problem"));
            if (TENANT_UNKNOWN.equals(problem.path("type").asText())) {
                // Nobody had set that tenant up: one set up later under the name must not inherit these.
                continue;
            }
            ObjectNode data = json.createObjectNode();
            data.put("dlqPartition", r.partition()).put("dlqOffset", r.offset());
            data.set("problem", problem);
            JsonNode original = parse(r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
            if (original.isObject()) {
                if (original.hasNonNull("idempotencyKey")) {
                    data.put("idempotencyKey", original.get("idempotencyKey").asText());
                }
                if (original.hasNonNull("type")) {
                    data.put("type", original.get("type").asText());
                }
            }
            // The filter form: a refused batch may name its GTIN in 13 digits, or name no valid GTIN at all.
            List<String> gtins = Gtin14.parse(original.path("payload").path("gtin").asText(null)).map(List::of).orElse(List.of());
            String subject = r.topic() + ":" + r.partition() + ":" + r.offset();
            out.add(new Event(Event.idOf(EventTypes.RECORD_REJECTED, subject), EventTypes.RECORD_REJECTED,
                    Instant.ofEpochMilli(r.timestamp()), tenant, gtins, null,
                    data));
        }
        events.append(out);
    }

    private JsonNode parse(String text) {
        if (text == null) {
            return json.nullNode();
        }
        try {
            return json.readTree(text);
        } catch (Exception e) {
            return json.getNodeFactory().textNode(text.length() > 1024 ? text.substring(0, 1024) : text);
        }
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
