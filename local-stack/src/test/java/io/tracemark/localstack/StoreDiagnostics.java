package io.tracemark.localstack;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Says where a fault run lost or doubled something, read from the stores before the stack goes away:
 * which records share an idempotency key, and whether an undelivered webhook event was never written
 * to attest's event log or was written but not delivered. Only for the report; nothing is asserted here.
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
     * For records without a delivered {@code type} webhook: how many have no event in attest's event log,
     * an undispatched event, or a message in each state; and when those records were accepted (per 10 s).
     */
    static String explainMissing(String mongo, String type, Set<String> recordIds) {
        if (recordIds.isEmpty()) {
            return "nothing missing";
        }
        Map<String, Integer> why = new TreeMap<>();
        Map<String, Integer> acceptedAt = new TreeMap<>();
        try (MongoClient client = MongoClients.create(mongo)) {
            MongoDatabase db = client.getDatabase("tracemark");
            for (String recordId : recordIds) {
                // attest derives an event's id from its natural key "<type>:<recordId>" (EventStore.idFor).
                String eventId = eventId(type + ":" + recordId);
                Document event = db.getCollection("events").find(Filters.eq("_id", eventId)).first();
                String reason;
                if (event == null) {
                    reason = "no event in attest's event log";
                } else if (!Boolean.TRUE.equals(event.getBoolean("dispatched"))) {
                    reason = "event not dispatched";
                } else {
                    Document m = db.getCollection("webhook_messages").find(Filters.eq("eventId", eventId)).first();
                    reason = m == null ? "event dispatched, no webhook message" : "message " + m.getString("state");
                }
                why.merge(reason, 1, Integer::sum);
                Document anchor = db.getCollection("anchors").find(Filters.eq("_id", recordId)).first();
                if (anchor != null && anchor.getDate("acceptedAt") != null) {
                    String t = anchor.getDate("acceptedAt").toInstant().toString();
                    acceptedAt.merge(t.substring(11, 18) + "0", 1, Integer::sum);
                }
            }
        }
        return why + "; accepted at (UTC, per 10 s): " + acceptedAt + "; e.g. " + recordIds.stream().limit(3).toList()
                + "; " + eventSequence(mongo);
    }

    /**
     * attest numbers events from a counter document and keeps {@code seq} unique: a counter behind the
     * highest stored {@code seq} would make new events collide with old ones.
     */
    private static String eventSequence(String mongo) {
        try (MongoClient client = MongoClients.create(mongo)) {
            MongoDatabase db = client.getDatabase("tracemark");
            List<String> counters = new ArrayList<>();
            db.getCollection("counters").find().forEach(d -> counters.add(d.toJson()));
            Document top = db.getCollection("events").find().sort(new Document("seq", -1)).limit(1).first();
            long events = db.getCollection("events").countDocuments();
            return "attest's counters " + counters + ", highest event seq " + (top == null ? null : top.get("seq"))
                    + ", events stored " + events;
        }
    }

    private static String eventId(String key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "evt_" + HexFormat.of().formatHex(h, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
