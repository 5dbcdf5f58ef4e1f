package io.tracemark.localstack;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.tracemark.contracts.events.Event;
import org.bson.Document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Says where a fault run lost or doubled something, read before the stack goes away: which records
 * share an idempotency key (the records collection), and whether an undelivered webhook event was never
 * appended to the event log ({@code tracemark.events}) or was appended but not delivered. Only for the
 * report; nothing is asserted here.
 */
final class StoreDiagnostics {
    private StoreDiagnostics() {
    }

    /** Records of the tenant stored more than once under one idempotency key: key → "id@receivedAt" of each copy. */
    static Map<String, List<String>> duplicateKeys(String mongo, String tenant) {
        Map<String, List<String>> byKey = new HashMap<>();
        try (MongoClient client = MongoClients.create(mongo)) {
            for (Document d : client.getDatabase("tracemark").getCollection("records").find(Filters.eq("tenant", tenant))
                    .projection(new Document("idempotencyKey", 1).append("receivedAt", 1))) {
                byKey.computeIfAbsent(d.getString("idempotencyKey"), k -> new ArrayList<>())
                        .add(d.getString("_id") + "@" + d.getDate("receivedAt").toInstant());
            }
        }
        Map<String, List<String>> dup = new TreeMap<>();
        byKey.forEach((k, v) -> {
            if (v.size() > 1) {
                dup.put(k, v);
            }
        });
        return dup;
    }

    /**
     * For records without a delivered {@code type} webhook: how many have no event on the event log
     * ({@code tracemark.events}), or an event but no webhook message, or a message in each state; and
     * when those records were accepted (per 10 s).
     */
    static String explainMissing(String kafka, String mongo, String tenant, String type, Set<String> recordIds) {
        if (recordIds.isEmpty()) {
            return "nothing missing";
        }
        EventLog log = EventLog.read(kafka, tenant);
        Map<String, Instant> accepted = log.acceptedAt();
        Map<String, Integer> why = new TreeMap<>();
        Map<String, Integer> acceptedAt = new TreeMap<>();
        try (MongoClient client = MongoClients.create(mongo)) {
            MongoDatabase db = client.getDatabase("tracemark");
            for (String recordId : recordIds) {
                Optional<Event> event = log.find(type, recordId);
                String reason;
                if (event.isEmpty()) {
                    reason = "no " + type + " event on " + EventLog.TOPIC;
                } else {
                    Document m = db.getCollection("webhook_messages").find(Filters.eq("eventId", event.get().id())).first();
                    reason = m == null ? "event on the log, no webhook message" : "message " + m.getString("state");
                }
                why.merge(reason, 1, Integer::sum);
                Instant at = accepted.get(recordId);
                if (at != null) {
                    acceptedAt.merge(at.toString().substring(11, 18) + "0", 1, Integer::sum);
                }
            }
        }
        return why + "; accepted at (UTC, per 10 s): " + acceptedAt + "; e.g. " + recordIds.stream().limit(3).toList()
                + "; the tenant's events on the log by type: " + log.countByType();
    }
}
