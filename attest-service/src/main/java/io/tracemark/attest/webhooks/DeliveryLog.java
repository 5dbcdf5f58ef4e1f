package io.tracemark.attest.webhooks;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import org.bson.Document;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The log of messages delivered at their first attempt ({@code webhook_deliveries}): written in bulk, one
 * document per endpoint per flush holding every such delivery of that flush ({@code entries}), so that a
 * delivery that needs no retry costs a fraction of a store write rather than one. Messages that need a retry,
 * or are written as pending, keep their own document in {@code webhook_messages}. Read back as message
 * documents of the same shape, so listing, attempts and replay do not care where a message is logged.
 */
final class DeliveryLog {
    private final MongoClient mongo;
    private final String database;
    private final String collection;

    DeliveryLog(MongoClient mongo, String database, String collection) {
        this.mongo = mongo;
        this.database = database;
        this.collection = collection;
    }

    MongoCollection<Document> deliveries() {
        return mongo.getDatabase(database).getCollection(collection);
    }

    void ensureIndexes(Duration retention) {
        deliveries().createIndex(Indexes.ascending("subscriptionId", "createdAt"), new IndexOptions().name("subscription"));
        deliveries().createIndex(Indexes.ascending("entries._id"), new IndexOptions().name("message"));
        deliveries().createIndex(Indexes.ascending("createdAt"), new IndexOptions().name("retention")
                .expireAfter(retention.toSeconds(), TimeUnit.SECONDS));
    }

    /**
     * Logs delivered messages (documents as {@link DeliveryStore} writes them, with their one attempt in
     * {@code log}): one document per subscription, in one insert.
     */
    void append(List<Document> delivered) {
        if (delivered.isEmpty()) {
            return;
        }
        Map<String, List<Document>> bySubscription = new LinkedHashMap<>();
        Map<String, String> tenants = new HashMap<>();
        for (Document m : delivered) {
            bySubscription.computeIfAbsent(m.getString("subscriptionId"), k -> new ArrayList<>()).add(entry(m));
            tenants.putIfAbsent(m.getString("subscriptionId"), m.getString("tenant"));
        }
        Date now = new Date();
        List<Document> docs = new ArrayList<>(bySubscription.size());
        bySubscription.forEach((sub, entries) -> docs.add(new Document("_id", "dlg_" + UUID.randomUUID())
                .append("subscriptionId", sub).append("tenant", tenants.get(sub))
                .append("createdAt", now).append("entries", entries)));
        deliveries().insertMany(docs);
    }

    /** The delivered message {@code id}, as a message document, if logged here. */
    Optional<Document> find(String id) {
        Document d = deliveries().find(Filters.eq("entries._id", id)).first();
        if (d == null) {
            return Optional.empty();
        }
        return d.getList("entries", Document.class).stream().filter(e -> id.equals(e.getString("_id"))).findFirst()
                .map(e -> message(e, d));
    }

    /** Up to {@code limit} of a subscription's logged deliveries, newest first, each message once. */
    List<Document> recent(String tenant, String subscriptionId, int limit) {
        Map<String, Document> out = new LinkedHashMap<>();
        for (Document d : deliveries().find(Filters.and(Filters.eq("subscriptionId", subscriptionId), Filters.eq("tenant", tenant)))
                .sort(Sorts.descending("createdAt"))) {
            List<Document> entries = d.getList("entries", Document.class);
            for (int i = entries.size() - 1; i >= 0 && out.size() < limit; i--) {
                out.putIfAbsent(entries.get(i).getString("_id"), message(entries.get(i), d));
            }
            if (out.size() >= limit) {
                break;
            }
        }
        return new ArrayList<>(out.values());
    }

    /** What a logged delivery keeps of its message: enough to list it, show its attempt and replay it. */
    private static Document entry(Document m) {
        // The tenant is the document's, as the subscription is.
        Document e = new Document("_id", m.getString("_id"))
                .append("eventId", m.getString("eventId")).append("type", m.getString("type"))
                .append("createdAt", m.getDate("createdAt")).append("log", m.get("log"));
        if (m.containsKey("eventAt")) {
            e.append("eventAt", m.get("eventAt"));
        } else {
            e.append("body", m.getString("body"));
        }
        return e;
    }

    /** Entry {@code e} of logged document {@code d} as a message document. */
    private static Document message(Document e, Document d) {
        List<Document> log = e.getList("log", Document.class, List.of());
        Document last = log.isEmpty() ? new Document() : log.get(log.size() - 1);
        Document m = new Document("_id", e.getString("_id")).append("subscriptionId", d.getString("subscriptionId"))
                .append("tenant", d.getString("tenant")).append("eventId", e.getString("eventId"))
                .append("type", e.getString("type")).append("state", DeliveryStore.DELIVERED).append("attempts", log.size())
                .append("lastStatus", last.getInteger("status")).append("lastAttemptAt", last.getDate("at"))
                .append("nextAttemptAt", null).append("createdAt", e.getDate("createdAt")).append("log", new ArrayList<>(log));
        if (e.containsKey("eventAt")) {
            m.append("eventAt", e.get("eventAt"));
        } else {
            m.append("body", e.getString("body"));
        }
        return m;
    }
}
