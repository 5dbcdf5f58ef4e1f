package io.tracemark.attest.webhooks;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;
import io.quarkus.runtime.Startup;
import io.tracemark.attest.erasure.ErasedRecords;
import io.tracemark.attest.erasure.Redaction;
import io.tracemark.contracts.events.EventRouting;
import io.tracemark.contracts.events.EventTypes;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Webhook messages: one per event and endpoint, whose id is the stable {@code webhook-id}, with its attempts
 * logged inside it ({@code log}) and expired by TTL indexes. All delivery state lives in the store, so a
 * restarted attest-service resumes every due attempt.
 *
 * <p>A message fanned out from the event store is attempted first and written once, with its first outcome,
 * in bulk ({@link #flush}): delivered at once, it joins one {@link DeliveryLog} document per endpoint and
 * flush ({@code webhook_deliveries}); otherwise it gets its own document in {@code webhook_messages}, the unit
 * that is retried, whose later attempts are bulk updates. A message keeps the event's position on the topic
 * ({@code eventAt}) rather than its body ({@link EventBodies}). So the common case, a delivery that succeeds,
 * costs a small part of one document write. Until it is written the event's offset is not committed
 * ({@link EventsFollower}), so a crash in between delivers it again under the same {@code webhook-id}, which
 * Standard Webhooks receivers dedupe.
 */
@ApplicationScoped
@Startup
public class DeliveryStore {
    /** Field of a message holding its event's W3C trace context, sent as the {@code traceparent} header. */
    static final String TRACEPARENT = "traceparent";
    /** Field of a message: the record its event is about, if any. */
    static final String RECORD_ID = "recordId";

    /** Waiting for its next attempt. */
    public static final String PENDING = "pending";
    /** An attempt got a 2xx. */
    public static final String DELIVERED = "delivered";
    /** Gave up: schedule exhausted, 410, endpoint disabled or deleted. Replay makes it pending again. */
    public static final String FAILED = "failed";
    /** How far before its creation a subscription still takes events (other hosts' clocks). */
    static final Duration CLOCK_SLACK = Duration.ofSeconds(5);

    private final MongoClient mongo;
    private final String database;
    private final Duration retention;
    private final DeliveryLog log;
    @Inject
    SubscriptionStore subscriptions;
    @Inject
    ErasedRecords erased;
    private Consumer<List<Document>> onEnqueue = docs -> {
    };
    private Runnable onReplay = () -> {
    };
    /** Writes not made yet: made in bulk by {@link #flush}, in order, before any read of delivery state. */
    private final LinkedBlockingQueue<MessageOps.Op> ops = new LinkedBlockingQueue<>();
    /** Ids of messages read back as pending from the store (start-up, replays): not fanned out a second time. */
    private final Set<String> storedPending = ConcurrentHashMap.newKeySet();
    /** Messages fanned out but not written yet, by id, with the future of their first write. */
    private final Map<String, Unwritten> unwritten = new ConcurrentHashMap<>();

    /** A fanned-out message: {@code answered} once its first outcome is queued, {@code written} once in the store. */
    private record Unwritten(Document message, CompletableFuture<Void> answered, CompletableFuture<Void> written) {
    }

    /**
     * An event as read from the event store, with where it sits there.
     *
     * @param event     the event's routing facts
     * @param body      the event as delivered (the message value, UTF-8), sent as it is
     * @param topic     its topic
     * @param partition its partition
     * @param offset      its offset
     * @param traceparent the W3C trace context of the record it is about, sent on with its deliveries, or null
     */
    public record Located(EventRouting event, byte[] body, String topic, int partition, long offset, String traceparent) {
        /** An event without trace context. */
        public Located(EventRouting event, String body, String topic, int partition, long offset) {
            this(event, body.getBytes(StandardCharsets.UTF_8), topic, partition, offset, null);
        }
    }

    /**
     * The messages of one fan-out.
     *
     * @param ids      their ids
     * @param answered completes when every one of them has its first outcome queued for {@link #flush}
     * @param written  completes when every one of them is in the store
     */
    public record Fanout(List<String> ids, CompletableFuture<Void> answered, CompletableFuture<Void> written) {
    }

    public DeliveryStore(MongoClient mongo, @ConfigProperty(name = "tracemark.mongodb.database") String database,
                         @ConfigProperty(name = "tracemark.attest.webhooks.log-retention", defaultValue = "P30D") Duration retention) {
        this.mongo = mongo;
        this.database = database;
        this.retention = retention;
        this.log = new DeliveryLog(mongo, database, "webhook_deliveries");
    }

    @PostConstruct
    void ensureIndexes() {
        log.ensureIndexes(retention);
        messages().createIndex(Indexes.ascending("state", "nextAttemptAt"), new IndexOptions().name("due"));
        messages().createIndex(Indexes.ascending("subscriptionId", "createdAt"), new IndexOptions().name("subscription"));
        messages().createIndex(Indexes.ascending("createdAt"), new IndexOptions().name("retention")
                .expireAfter(retention.toSeconds(), TimeUnit.SECONDS));
    }

    /** The delivery log of messages delivered at once. */
    DeliveryLog log() {
        return log;
    }

    /** Hands messages made due again to the delivery worker. */
    void scheduled(List<Document> messages) {
        onEnqueue.accept(messages);
    }

    /** Tells the delivery worker that messages in the store became due again. */
    void replayed() {
        onReplay.run();
    }

    MongoCollection<Document> messages() {
        return mongo.getDatabase(database).getCollection("webhook_messages");
    }

    /** Hands fanned-out messages to the delivery worker, and tells it when replays made messages due again. */
    void onEnqueue(Consumer<List<Document>> sink, Runnable replayed) {
        onEnqueue = sink;
        onReplay = replayed;
    }

    /**
     * Fans events out to every enabled, matching subscription of their tenant, in memory: the messages go to the
     * delivery worker at once and are written with their first outcome. Idempotent per event and endpoint (the
     * message id is derived from both). A subscription gets the events from its creation on (with
     * {@link #CLOCK_SLACK} for other hosts' clocks), not the backlog of a consumer catching up.
     */
    public Fanout enqueue(List<Located> events) {
        List<Document> fresh = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        List<CompletableFuture<Void>> answers = new ArrayList<>();
        Date now = new Date();
        // A record erased before its events fan out is delivered without its content: one keyed query for the
        // records whose receipts the events carry (known from the headers), and only their bodies are parsed.
        Set<String> erasedIds = erased.among(events.stream().map(l -> l.event().recordWithContent())
                .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.toSet()));
        for (Located located : events) {
            EventRouting e = located.event();
            byte[] body = erasedIds.contains(e.recordWithContent())
                    ? Redaction.redactBody(new String(located.body(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)
                    : located.body();
            for (Subscription s : subscriptions.forTenant(e.tenant())) {
                if (s.enabled() && EventTypes.matchesAny(s.eventTypes(), e.type())
                        && (s.gtins().isEmpty() || e.gtins().stream().anyMatch(s.gtins()::contains))
                        && (s.works().isEmpty() || s.works().contains(e.work()))
                        && !e.timestamp().isBefore(s.createdAt().minus(CLOCK_SLACK))) {
                    Document m = message("msg_" + e.id().substring(4) + "_" + s.id().substring(3), s, e.id(), e.type(),
                            body, now)
                            .append("eventAt", EventBodies.position(located.topic(), located.partition(), located.offset()));
                    if (e.recordId() != null) {
                        // For the delivery worker's log lines, which name the record the message is about.
                        m.append(RECORD_ID, e.recordId());
                    }
                    if (located.traceparent() != null) {
                        m.append(TRACEPARENT, located.traceparent());
                    }
                    String id = m.getString("_id");
                    if (storedPending.contains(id)) {
                        // Fanned out again after a restart, but already written as pending and scheduled from the
                        // store: its own document stays the one place its attempts go.
                        continue;
                    }
                    Unwritten u = unwritten.computeIfAbsent(id, k -> {
                        fresh.add(m);
                        return new Unwritten(m, new CompletableFuture<>(), new CompletableFuture<>());
                    });
                    ids.add(id);
                    futures.add(u.written());
                    answers.add(u.answered());
                }
            }
        }
        onEnqueue.accept(fresh);
        return new Fanout(ids, CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)),
                CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)));
    }

    /** Writes messages still waiting for their first outcome as pending, so their event can be let go. */
    public void persistPending(Collection<String> ids) {
        ids.forEach(id -> {
            ops.add(new MessageOps.Persist(id));
            answered(id);
        });
    }

    /** Marks a fanned-out message's first write as queued. */
    private void answered(String id) {
        Unwritten u = unwritten.get(id);
        if (u != null) {
            u.answered().complete(null);
        }
    }

    /** Queues one test message for a subscription and returns its id. */
    public String enqueueTest(Subscription s, String id, String body) {
        insert(List.of(message(id, s, null, EventTypes.WEBHOOK_TEST, body, new Date())));
        return id;
    }

    /** A new message; {@code body} is a string or, fanned out from the event store, the event's bytes. */
    private static Document message(String id, Subscription s, String eventId, String type, Object body, Date now) {
        return new Document("_id", id).append("subscriptionId", s.id()).append("tenant", s.tenant())
                .append("eventId", eventId).append("type", type).append("body", body).append("state", PENDING)
                .append("attempts", 0).append("nextAttemptAt", now).append("leaseUntil", new Date(0))
                .append("createdAt", now).append("log", new ArrayList<Document>());
    }

    private void insert(List<Document> docs) {
        if (docs.isEmpty()) {
            return;
        }
        Set<Integer> duplicates = insertIgnoringDuplicates(docs);
        List<Document> fresh = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            if (!duplicates.contains(i)) {
                fresh.add(docs.get(i));
            }
        }
        onEnqueue.accept(fresh);
    }

    Set<Integer> insertIgnoringDuplicates(List<Document> docs) {
        Set<Integer> duplicates = new HashSet<>();
        try {
            messages().insertMany(docs, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException ex) {
            for (BulkWriteError err : ex.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(err.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw ex;
                }
                duplicates.add(err.getIndex());
            }
        }
        return duplicates;
    }

    /**
     * Every pending message, for the delivery worker to schedule at start-up and after replays. A range
     * query (a scan on an embedded server), so never on a timer: the worker is fed in memory otherwise.
     */
    public void pending(Consumer<Document> each) {
        flush();
        messages().find(Filters.eq("state", PENDING)).forEach(d -> {
            storedPending.add(d.getString("_id"));
            each.accept(d);
        });
    }

    /** One attempt's outcome, as logged. */
    public record Attempt(String messageId, String subscriptionId, String tenant, int attempt, Instant at, int status,
                          long latencyMs, String error, String responseExcerpt) {
        Document toDocument() {
            Document d = new Document("attempt", attempt).append("at", Date.from(at)).append("status", status)
                    .append("latencyMs", latencyMs);
            // Absent reads as null: a delivery that succeeded stores no error field.
            if (error != null) {
                d.append("error", error);
            }
            if (responseExcerpt != null) {
                d.append("responseExcerpt", responseExcerpt);
            }
            return d;
        }
    }

    /**
     * Logs an attempt and moves the message to its next state ({@code nextAttemptAt} null = final). Queued and
     * written in bulk by {@link #flush}; a crash before that repeats the attempt after the restart, which
     * Standard Webhooks receivers dedupe by {@code webhook-id}.
     */
    public void outcome(Attempt a, String state, Instant nextAttemptAt) {
        ops.add(new MessageOps.Outcome(a, state, nextAttemptAt));
        answered(a.messageId());
    }

    /** Ends a message without an attempt (endpoint disabled or deleted). */
    public void abandon(String id, String reason) {
        ops.add(new MessageOps.Abandon(id, reason));
        answered(id);
    }

    /**
     * Writes the queued operations in order: messages not in the store yet in one insert (with their outcome),
     * then one bulk update for the rest, by id.
     */
    public synchronized void flush() {
        List<MessageOps.Op> batch = new ArrayList<>();
        ops.drainTo(batch);
        if (batch.isEmpty()) {
            return;
        }
        List<Unwritten> taken = new ArrayList<>();
        List<Document> inserts = new ArrayList<>();
        List<Document> delivered = new ArrayList<>();
        List<WriteModel<Document>> updates = new ArrayList<>();
        for (MessageOps.Op op : batch) {
            Unwritten u = unwritten.remove(op.id());
            if (u != null) {
                taken.add(u);
                Document first = MessageOps.firstWrite(u.message(), op);
                (op instanceof MessageOps.Outcome o && DELIVERED.equals(o.state()) ? delivered : inserts).add(first);
            } else {
                MessageOps.update(op).ifPresent(b -> updates.add(new UpdateOneModel<>(Filters.eq("_id", op.id()), b)));
            }
        }
        try {
            if (!inserts.isEmpty()) {
                insertIgnoringDuplicates(inserts);
            }
            log.append(delivered);
            if (!updates.isEmpty()) {
                messages().bulkWrite(updates, new BulkWriteOptions().ordered(true));
            }
        } catch (RuntimeException e) {
            // Kept for the next flush, in the same order: the message state is eventually written.
            taken.forEach(u -> unwritten.putIfAbsent(u.message().getString("_id"), u));
            List<MessageOps.Op> rest = new ArrayList<>(batch);
            ops.drainTo(rest);
            ops.addAll(rest);
            throw e;
        }
        taken.forEach(u -> u.written().complete(null));
    }
}
