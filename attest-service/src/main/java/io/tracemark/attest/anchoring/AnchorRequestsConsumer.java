package io.tracemark.attest.anchoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.common.annotation.Blocking;
import io.tracemark.attest.events.EventDispatcher;
import io.tracemark.attest.events.EventTypes;
import io.tracemark.attest.events.NewEvent;
import io.tracemark.attest.works.ClaimConflicts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * Registers anchor requests: each poll is stored in bulk in {@code anchors} (a redelivered request is a
 * duplicate key and goes no further) and its fresh requests are queued for the {@link LeafBatcher}; in
 * parallel the poll is raised as {@code record.accepted} events (deduplicated by the event log); then
 * it is checked for claim conflicts. Offsets are committed after that, so
 * a crash replays the poll and registration dedupes it; batching itself is driven from the stored state.
 */
@ApplicationScoped
public class AnchorRequestsConsumer {
    private static final Logger LOG = Logger.getLogger(AnchorRequestsConsumer.class);
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

    @Inject
    AnchorStore store;
    @Inject
    LeafBatcher batcher;
    @Inject
    EventDispatcher events;
    @Inject
    ClaimConflicts conflicts;
    @Inject
    ObjectMapper json;
    private final ExecutorService appender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "attest-accepted-events");
        t.setDaemon(true);
        return t;
    });

    @Incoming("anchor-requests")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        batcher.polled(records.count());
        List<AnchorRequest> requests = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> r : records) {
            parse(r, requests);
        }
        List<NewEvent> accepted = new ArrayList<>(requests.size());
        for (AnchorRequest a : requests) {
            ObjectNode data = json.createObjectNode().put("recordId", a.recordId()).put("type", a.type())
                    .put("digest", a.digest()).put("acceptedAt", a.acceptedAt().toString());
            accepted.add(new NewEvent(EventTypes.RECORD_ACCEPTED + ":" + a.recordId(), a.tenant(),
                    EventTypes.RECORD_ACCEPTED, a.acceptedAt(), data.toString(), null,
                    a.work() == null ? null : a.work().sha256()));
        }
        // The event log dedupes by the event's natural key, so record.accepted is appended for the whole
        // poll alongside registration (two collections, written in parallel) instead of after it: the
        // leaf batcher gets the fresh requests as soon as they are registered.
        CompletableFuture<Void> events = CompletableFuture.runAsync(() ->
                Retry.forever("append record.accepted events", () -> this.events.append(accepted)), appender);
        Retry.forever("register anchor requests", () -> {
            batcher.offer(store.register(requests));
            return null;
        });
        // Conflicts are checked for every request, fresh or not, because they are idempotent by key.
        Retry.forever("check claim conflicts", () -> {
            conflicts.check(requests);
            return null;
        });
        events.join();
    }

    private void parse(ConsumerRecord<String, String> r, List<AnchorRequest> out) {
        try {
            JsonNode n = json.readTree(r.value());
            String digest = n.path("digest").asText();
            if (!DIGEST.matcher(digest).matches() || n.path("recordId").asText().isEmpty()
                    || n.path("tenant").asText().isEmpty()) {
                LOG.errorf("ignoring anchor request at %s/%d/%d: needs recordId, tenant and a 64-hex digest",
                        r.topic(), r.partition(), r.offset());
                return;
            }
            JsonNode w = n.path("work");
            AnchorRequest.Work work = w.isObject() && w.hasNonNull("sha256")
                    ? new AnchorRequest.Work(w.get("sha256").asText(), w.hasNonNull("phash") ? w.get("phash").asText() : null)
                    : null;
            // Milliseconds, as MongoDB stores it: a receipt built from memory equals one built from the store.
            out.add(new AnchorRequest(n.path("recordId").asText(), n.path("tenant").asText(), n.path("type").asText(),
                    digest, Instant.parse(n.path("acceptedAt").asText()).truncatedTo(ChronoUnit.MILLIS), work));
        } catch (Exception e) {
            LOG.errorf("ignoring malformed anchor request at %s/%d/%d: %s", r.topic(), r.partition(), r.offset(), e.toString());
        }
    }
}
