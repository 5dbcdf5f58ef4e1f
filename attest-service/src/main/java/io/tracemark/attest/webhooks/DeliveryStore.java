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
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.quarkus.runtime.Startup;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventCodec;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Webhook messages ({@code webhook_messages}: one per event and endpoint, the unit that is retried, whose
 * id is the stable {@code webhook-id}) and the log of every attempt ({@code webhook_attempts}, expired by a
 * TTL index). All delivery state lives here, so a restarted attest-service resumes every due attempt.
 */
@ApplicationScoped
@Startup
public class DeliveryStore {
    /** Waiting for its next attempt. */
    /** How far before its creation a subscription still takes events (other hosts' clocks). */
    static final java.time.Duration CLOCK_SLACK = java.time.Duration.ofSeconds(5);
    public static final String PENDING = "pending";
    /** An attempt got a 2xx. */
    public static final String DELIVERED = "delivered";
    /** Gave up: schedule exhausted, 410, endpoint disabled or deleted. Replay makes it pending again. */
    public static final String FAILED = "failed";

    private final MongoClient mongo;
    private final String database;
    private final Duration retention;
    @Inject
    SubscriptionStore subscriptions;
    private volatile Consumer<List<Document>> onEnqueue = docs -> { };
    private volatile Runnable onReplay = () -> { };
    /** Attempt outcomes not written yet: written in bulk, and before any read of delivery state. */
    private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();

    private record Outcome(Attempt attempt, String state, Instant nextAttemptAt) {
    }

    public DeliveryStore(MongoClient mongo, @ConfigProperty(name = "tracemark.mongodb.database") String database,
                         @ConfigProperty(name = "tracemark.attest.webhooks.log-retention", defaultValue = "P30D") Duration retention) {
        this.mongo = mongo;
        this.database = database;
        this.retention = retention;
    }

    @PostConstruct
    void ensureIndexes() {
        messages().createIndex(Indexes.ascending("state", "nextAttemptAt"), new IndexOptions().name("due"));
        messages().createIndex(Indexes.ascending("subscriptionId", "createdAt"), new IndexOptions().name("subscription"));
        attempts().createIndex(Indexes.ascending("messageId", "at"), new IndexOptions().name("message"));
        attempts().createIndex(Indexes.ascending("at"), new IndexOptions().name("retention")
                .expireAfter(retention.toSeconds(), TimeUnit.SECONDS));
        messages().createIndex(Indexes.ascending("createdAt"), new IndexOptions().name("retention")
                .expireAfter(retention.toSeconds(), TimeUnit.SECONDS));
    }

    MongoCollection<Document> messages() {
        return mongo.getDatabase(database).getCollection("webhook_messages");
    }

    MongoCollection<Document> attempts() {
        return mongo.getDatabase(database).getCollection("webhook_attempts");
    }

    /** Hands newly queued messages to the delivery worker, and tells it when replays made messages due again. */
    void onEnqueue(Consumer<List<Document>> sink, Runnable replayed) {
        onEnqueue = sink;
        onReplay = replayed;
    }

    /**
     * Fans events out to every enabled, matching subscription of their tenant; idempotent per event and
     * endpoint (the message id is derived from both). A subscription gets the events from its creation on
     * (with {@link #CLOCK_SLACK} for clocks of other hosts), not the backlog of a consumer catching up.
     */
    public void enqueue(List<Event> events) {
        List<Document> docs = new ArrayList<>();
        Date now = new Date();
        for (Event e : events) {
            String body = null;
            for (Subscription s : subscriptions.forTenant(e.tenant())) {
                if (s.enabled() && EventTypes.matchesAny(s.eventTypes(), e.type())
                        && (s.gtins().isEmpty() || e.gtins().stream().anyMatch(s.gtins()::contains))
                        && (s.works().isEmpty() || s.works().contains(e.work()))
                        && !e.timestamp().isBefore(s.createdAt().minus(CLOCK_SLACK))) {
                    body = body != null ? body : new String(EventCodec.value(e), java.nio.charset.StandardCharsets.UTF_8);
                    docs.add(message("msg_" + e.id().substring(4) + "_" + s.id().substring(3), s, e.id(), e.type(), body, now));
                }
            }
        }
        insert(docs);
    }

    /** Queues one test message for a subscription and returns its id. */
    public String enqueueTest(Subscription s, String id, String body) {
        insert(List.of(message(id, s, null, EventTypes.WEBHOOK_TEST, body, new Date())));
        return id;
    }

    private static Document message(String id, Subscription s, String eventId, String type, String body, Date now) {
        return new Document("_id", id).append("subscriptionId", s.id()).append("tenant", s.tenant())
                .append("eventId", eventId).append("type", type).append("body", body).append("state", PENDING)
                .append("attempts", 0).append("nextAttemptAt", now).append("leaseUntil", new Date(0))
                .append("createdAt", now);
    }

    private void insert(List<Document> docs) {
        if (docs.isEmpty()) {
            return;
        }
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
        List<Document> fresh = new ArrayList<>(docs.size());
        List<String> existing = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            if (!duplicates.contains(i)) {
                fresh.add(docs.get(i));
            } else {
                existing.add(docs.get(i).getString("_id"));
            }
        }
        // A message already there may come from an insert that failed after writing it (then retried):
        // nothing scheduled it yet, so the ones still pending are handed over too (the worker dedupes by id).
        for (int i = 0; i < existing.size(); i += 50) {
            messages().find(Filters.in("_id", existing.subList(i, Math.min(existing.size(), i + 50))))
                    .forEach(d -> {
                        if (PENDING.equals(d.getString("state"))) {
                            fresh.add(d);
                        }
                    });
        }
        onEnqueue.accept(fresh);
    }

    /**
     * Every pending message, for the delivery worker to schedule at start-up and after replays. A range
     * query (a scan on an embedded server), so never on a timer: the worker is fed in memory otherwise.
     */
    public void pending(Consumer<Document> each) {
        flush();
        messages().find(Filters.eq("state", PENDING)).forEach(each);
    }

    /** One attempt's outcome, as logged. */
    public record Attempt(String messageId, String subscriptionId, String tenant, int attempt, Instant at, int status,
                          long latencyMs, String error, String responseExcerpt) {
    }

    /**
     * Logs an attempt and moves the message to its next state ({@code nextAttemptAt} null = final). Queued
     * and written in bulk by {@link #flush}; a crash before that repeats the attempt after the restart,
     * which Standard Webhooks receivers dedupe by {@code webhook-id}.
     */
    public void outcome(Attempt a, String state, Instant nextAttemptAt) {
        outcomes.add(new Outcome(a, state, nextAttemptAt));
    }

    /** Writes the queued outcomes: one insert of attempts and one bulk update of messages, by id. */
    public synchronized void flush() {
        List<Outcome> batch = new ArrayList<>();
        outcomes.drainTo(batch);
        if (batch.isEmpty()) {
            return;
        }
        List<Document> logged = new ArrayList<>(batch.size());
        List<WriteModel<Document>> moves = new ArrayList<>(batch.size());
        for (Outcome o : batch) {
            Attempt a = o.attempt();
            logged.add(new Document("messageId", a.messageId()).append("subscriptionId", a.subscriptionId())
                    .append("tenant", a.tenant()).append("attempt", a.attempt()).append("at", Date.from(a.at()))
                    .append("status", a.status()).append("latencyMs", a.latencyMs()).append("error", a.error())
                    .append("responseExcerpt", a.responseExcerpt()));
            moves.add(new UpdateOneModel<>(Filters.eq("_id", a.messageId()), Updates.combine(Updates.set("state", o.state()),
                    Updates.set("attempts", a.attempt()), Updates.set("lastStatus", a.status()),
                    Updates.set("lastAttemptAt", Date.from(a.at())), Updates.set("leaseUntil", new Date(0)),
                    Updates.set("nextAttemptAt", o.nextAttemptAt() == null ? null : Date.from(o.nextAttemptAt())))));
        }
        try {
            attempts().insertMany(logged);
            messages().bulkWrite(moves, new BulkWriteOptions().ordered(true));
        } catch (RuntimeException e) {
            // Keep them for the next flush: the attempt log and the message state are eventually written.
            outcomes.addAll(batch);
            throw e;
        }
    }

    /** Ends a message without an attempt (endpoint disabled or deleted). */
    public void abandon(String id, String reason) {
        messages().updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("state", FAILED),
                Updates.set("failure", reason), Updates.set("leaseUntil", new Date(0))));
    }

    /** A subscription's messages, newest first, optionally in one state. */
    public List<Document> list(String tenant, String subscriptionId, String state, int limit) {
        flush();
        List<Document> out = new ArrayList<>();
        var filter = state == null ? Filters.and(Filters.eq("tenant", tenant), Filters.eq("subscriptionId", subscriptionId))
                : Filters.and(Filters.eq("tenant", tenant), Filters.eq("subscriptionId", subscriptionId), Filters.eq("state", state));
        messages().find(filter).sort(Sorts.descending("createdAt")).limit(limit).forEach(out::add);
        return out;
    }

    /** A message's attempts, oldest first. */
    public List<Document> attemptsOf(String tenant, String messageId) {
        flush();
        List<Document> out = new ArrayList<>();
        attempts().find(Filters.and(Filters.eq("tenant", tenant), Filters.eq("messageId", messageId)))
                .sort(Sorts.ascending("at")).forEach(out::add);
        return out;
    }

    /** Makes one message due again now with a fresh schedule; false if the tenant has no such message. */
    public boolean replay(String tenant, String subscriptionId, String messageId) {
        Optional<Document> m = find(tenant, messageId)
                .filter(d -> subscriptionId.equals(d.getString("subscriptionId")) && !PENDING.equals(d.getString("state")));
        if (m.isEmpty()) {
            return false;
        }
        messages().updateOne(Filters.eq("_id", messageId), replayUpdate());
        onEnqueue.accept(List.of(messages().find(Filters.eq("_id", messageId)).first()));
        return true;
    }

    /** Makes every failed message of a subscription created since {@code since} due again; returns how many. */
    public long replayFailed(String tenant, String subscriptionId, Instant since) {
        flush();
        long n = messages().updateMany(Filters.and(Filters.eq("tenant", tenant), Filters.eq("subscriptionId", subscriptionId),
                Filters.eq("state", FAILED), Filters.gte("createdAt", Date.from(since))), replayUpdate()).getModifiedCount();
        if (n > 0) {
            onReplay.run();
        }
        return n;
    }

    /** The message document, if the tenant owns it. */
    public Optional<Document> find(String tenant, String messageId) {
        flush();
        return Optional.ofNullable(messages().find(Filters.eq("_id", messageId)).first())
                .filter(d -> tenant.equals(d.getString("tenant")));
    }

    private static org.bson.conversions.Bson replayUpdate() {
        return Updates.combine(Updates.set("state", PENDING), Updates.set("attempts", 0),
                Updates.set("nextAttemptAt", new Date()), Updates.set("leaseUntil", new Date(0)), Updates.unset("failure"));
    }
}
