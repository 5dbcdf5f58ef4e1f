package io.tracemark.attest.events;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

/**
 * The event log ({@code events}): every state change a tenant may hear about, with a monotonically
 * increasing {@code seq} that is the pull cursor, and a {@code dispatched} flag that makes the log also
 * the outbox for the events topic and webhooks.
 *
 * <p>Sequence numbers are allocated in ranges from a counter and written under one lock, so within a
 * process a reader never sees seq n+1 before n. The event id is derived from the change's natural key,
 * so a redelivered change is recorded once.
 */
@ApplicationScoped
@Startup
public class EventStore {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(EventStore.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper QUOTER = new com.fasterxml.jackson.databind.ObjectMapper();

    private final MongoClient mongo;
    private final String database;
    private final String eventsName;
    private final EventFragments fragments;

    public EventStore(MongoClient mongo, @ConfigProperty(name = "tracemark.mongodb.database") String database,
                      @ConfigProperty(name = "tracemark.attest.events-collection", defaultValue = "events") String eventsName) {
        this.mongo = mongo;
        this.database = database;
        this.eventsName = eventsName;
        this.fragments = new EventFragments(mongo.getDatabase(database).getCollection("event_fragments"));
    }

    @PostConstruct
    void ensureIndexes() {
        events().createIndex(Indexes.ascending("tenant", "seq"), new IndexOptions().name("tenant_seq"));
        events().createIndex(Indexes.ascending("seq"), new IndexOptions().name("seq").unique(true));
        events().createIndex(Indexes.ascending("dispatched", "seq"), new IndexOptions().name("outbox"));
    }

    MongoCollection<Document> events() {
        return mongo.getDatabase(database).getCollection(eventsName);
    }

    private MongoCollection<Document> counters() {
        return mongo.getDatabase(database).getCollection("counters");
    }

    /** The public id of the event with natural key {@code key}. */
    public static String idFor(String key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "evt_" + HexFormat.of().formatHex(h, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Records events (ignoring ones already recorded) and returns the new ones, in cursor order.
     *
     * <p>A duplicate key is "already recorded" only if an event with that id exists. Otherwise the
     * collision was on {@code seq}: the counter fell behind the log (a server restarted without its last
     * counter write), so it is moved past the highest recorded {@code seq} and the events are appended
     * again with fresh numbers, rather than silently dropped.
     */
    public synchronized List<StoredEvent> append(List<NewEvent> events) {
        List<StoredEvent> fresh = new ArrayList<>(events.size());
        List<NewEvent> todo = events;
        for (int round = 0; !todo.isEmpty(); round++) {
            if (round == 3) {
                throw new IllegalStateException("event sequence numbers keep colliding; " + todo.size() + " events not appended");
            }
            List<NewEvent> collided = new ArrayList<>();
            fresh.addAll(appendOnce(todo, collided));
            if (!collided.isEmpty()) {
                repairCounter();
            }
            todo = collided;
        }
        fresh.sort(java.util.Comparator.comparingLong(StoredEvent::seq));
        return fresh;
    }

    private List<StoredEvent> appendOnce(List<NewEvent> events, List<NewEvent> collided) {
        if (events.isEmpty()) {
            return List.of();
        }
        Document counter = counters().findOneAndUpdate(Filters.eq("_id", eventsName), Updates.inc("seq", (long) events.size()),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        long first = counter.get("seq", Number.class).longValue() - events.size() + 1;
        List<Document> docs = new ArrayList<>(events.size());
        List<StoredEvent> stored = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            NewEvent e = events.get(i);
            long seq = first + i;
            String id = idFor(e.key());
            String json = "{\"id\":" + quote(id) + ",\"type\":" + quote(e.type()) + ",\"timestamp\":"
                    + quote(e.time().toString()) + ",\"tenant\":" + quote(e.tenant()) + ",\"cursor\":" + quote(Long.toString(seq))
                    + ",\"data\":" + e.dataJson() + "}";
            docs.add(new Document("_id", id).append("seq", seq).append("tenant", e.tenant()).append("type", e.type())
                    .append("time", Date.from(e.time())).append("json", compactable(e.type()) ? fragments.compact(json) : json).append("gtin", e.gtin())
                    .append("work", e.work()).append("dispatched", false));
            stored.add(new StoredEvent(id, seq, e.tenant(), e.type(), e.time(), json, e.gtin(), e.work()));
        }
        java.util.Set<Integer> duplicates = new java.util.HashSet<>();
        try {
            events().insertMany(docs, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException ex) {
            for (BulkWriteError err : ex.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(err.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw ex;
                }
                duplicates.add(err.getIndex());
            }
        }
        java.util.Set<String> existing = new java.util.HashSet<>();
        if (!duplicates.isEmpty()) {
            List<String> ids = duplicates.stream().map(i -> stored.get(i).id()).toList();
            for (int i = 0; i < ids.size(); i += 50) {
                events().find(Filters.in("_id", ids.subList(i, Math.min(ids.size(), i + 50))))
                        .projection(new Document("_id", 1)).forEach(d -> existing.add(d.getString("_id")));
            }
        }
        List<StoredEvent> fresh = new ArrayList<>(stored.size() - duplicates.size());
        for (int i = 0; i < stored.size(); i++) {
            if (!duplicates.contains(i)) {
                fresh.add(stored.get(i));
            } else if (!existing.contains(stored.get(i).id())) {
                collided.add(events.get(i));
            }
        }
        return fresh;
    }

    /** Moves the sequence counter past the highest {@code seq} in the log (a scan on an embedded server; rare). */
    private void repairCounter() {
        Document last = events().find().sort(Sorts.descending("seq")).limit(1).projection(new Document("seq", 1)).first();
        long max = last == null ? 0 : last.get("seq", Number.class).longValue();
        counters().updateOne(Filters.eq("_id", eventsName), Updates.max("seq", max), new com.mongodb.client.model.UpdateOptions().upsert(true));
        LOG.warnf("event sequence counter was behind the log; moved to %d", max);
    }

    /** A tenant's events after cursor {@code after} whose type matches {@code types}, in cursor order. */
    public List<StoredEvent> page(String tenant, long after, List<String> types, int limit) {
        List<StoredEvent> out = new ArrayList<>();
        Bson filter = Filters.and(Filters.eq("tenant", tenant), Filters.gt("seq", after));
        // Type filtering happens here rather than in the query so wildcards need no regex index.
        for (Document d : events().find(filter).sort(Sorts.ascending("seq")).batchSize(Math.min(limit * 2, 2000))) {
            StoredEvent e = of(d);
            if (EventTypes.matchesAny(types, e.type())) {
                out.add(e);
                if (out.size() == limit) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Events not yet handed to the events topic and webhooks, in cursor order. A range query (a scan on an
     * embedded server): the dispatcher uses it only to recover, at start-up and after a failed append.
     */
    public List<StoredEvent> undispatched(int limit) {
        List<StoredEvent> out = new ArrayList<>();
        events().find(Filters.eq("dispatched", false)).sort(Sorts.ascending("seq")).limit(limit).forEach(d -> out.add(of(d)));
        return out;
    }

    /** Marks events dispatched, one update by id each in a bulk (an {@code $in} is quadratic on an embedded server). */
    public void dispatched(List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        List<com.mongodb.client.model.WriteModel<Document>> ops = new ArrayList<>(ids.size());
        for (String id : ids) {
            ops.add(new com.mongodb.client.model.UpdateOneModel<>(Filters.eq("_id", id), Updates.set("dispatched", true)));
        }
        events().bulkWrite(ops, new com.mongodb.client.model.BulkWriteOptions().ordered(false));
    }

    /** One event by id, if the tenant owns it. */
    public java.util.Optional<StoredEvent> find(String tenant, String id) {
        Document d = events().find(Filters.eq("_id", id)).first();
        return java.util.Optional.ofNullable(d).filter(x -> tenant.equals(x.getString("tenant"))).map(this::of);
    }

    private static String quote(String s) {
        try {
            return QUOTER.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Only attest's own receipt-bearing events are compacted; other payloads carry text users sent. */
    private static boolean compactable(String type) {
        return EventTypes.RECORD_ANCHORED.equals(type);
    }

    private StoredEvent of(Document d) {
        return new StoredEvent(d.getString("_id"), d.get("seq", Number.class).longValue(), d.getString("tenant"),
                d.getString("type"), d.getDate("time").toInstant(),
                compactable(d.getString("type")) ? fragments.expand(d.getString("json")) : d.getString("json"), d.getString("gtin"),
                d.getString("work"));
    }
}
