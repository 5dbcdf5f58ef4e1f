package io.tracemark.attest.webhooks;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.attest.events.EventLog;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.contracts.Json;
import io.tracemark.contracts.events.Event;
import io.tracemark.edge.logging.FailureStreak;
import io.tracemark.edge.logging.LogContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends due webhook messages (Standard Webhooks 1.0) through the {@link WebhookTransport}.
 *
 * <p>Messages are scheduled in memory (a delay queue) as they are queued, retried or replayed; MongoDB
 * holds their state and is read back at start-up, so attempts scheduled before a restart are made after
 * it, and no poll scans {@code webhook_messages}. Each endpoint has its own concurrency cap, and a message
 * over the cap waits in that endpoint's backlog for a freed permit, so a slow endpoint only ever holds its
 * own permits: other endpoints and anchoring never wait for it.
 * Outcomes: 2xx delivered; 410 disables the endpoint; 429/503 retry after {@code Retry-After}; anything
 * else retries on the {@link RetrySchedule}; an endpoint failing continuously for
 * {@code tracemark.attest.webhooks.disable-after} is disabled and an {@code endpoint.disabled} event raised.
 */
@ApplicationScoped
public class DeliveryWorker {
    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    @Inject
    DeliveryStore store;
    @Inject
    SubscriptionStore subscriptions;
    @Inject
    RetrySchedule schedule;
    @Inject
    SsrfGuard guard;
    @Inject
    WebhookSecrets secrets;
    @Inject
    EventLog events;
    @Inject
    EventBodies bodies;
    @Inject
    WebhookTransport transport;
    @Inject
    WebhookMetrics metrics;
    @ConfigProperty(name = "tracemark.attest.webhooks.poll-interval", defaultValue = "200ms")
    Duration pollInterval;
    @ConfigProperty(name = "tracemark.attest.webhooks.max-concurrency-per-endpoint", defaultValue = "16")
    int perEndpoint;
    @ConfigProperty(name = "tracemark.attest.webhooks.disable-after", defaultValue = "P5D")
    Duration disableAfter;
    @ConfigProperty(name = "tracemark.attest.webhooks.enabled", defaultValue = "true")
    boolean enabled;

    private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();
    /** Messages waiting for a permit of their endpoint, per subscription id. */
    private final Map<String, Queue<Document>> backlog = new ConcurrentHashMap<>();
    /** Ids of the messages scheduled, waiting or in flight, so a rescan does not double them. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final DelayQueue<Scheduled> due = new DelayQueue<>();
    private final FailureStreak flushing = new FailureStreak(LOG);
    private final FailureStreak scheduling = new FailureStreak(LOG);
    private final FailureStreak dispatching = new FailureStreak(LOG);
    private ExecutorService bookkeeping;
    private ScheduledExecutorService flusher;
    private volatile boolean running;
    private volatile boolean rescan;
    private Thread thread;

    /** A message and the time of its next attempt. */
    private record Scheduled(long atMillis, Document message) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(atMillis - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(atMillis, ((Scheduled) o).atMillis);
        }
    }

    void start(@Observes StartupEvent e) {
        if (enabled) {
            resume();
        }
    }

    void stop(@Observes ShutdownEvent e) {
        pause();
    }

    /** Starts delivering (at start-up): every pending message in MongoDB is scheduled, then new ones as they come. */
    public synchronized void resume() {
        if (running) {
            return;
        }
        bookkeeping = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "attest-webhook-io");
            t.setDaemon(true);
            return t;
        });
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "attest-webhook-log");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flush, 50, 50, TimeUnit.MILLISECONDS);
        store.onEnqueue(this::schedule, () -> rescan = true);
        running = true;
        rescan = true;
        thread = new Thread(this::loop, "attest-webhook-scheduler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops delivering and drops in-flight work, as a process stop does; MongoDB keeps what is pending. */
    public synchronized void pause() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
        if (bookkeeping != null) {
            bookkeeping.shutdownNow();
            flusher.shutdownNow();
            flush();
        }
        due.clear();
        backlog.clear();
        known.clear();
        permits.clear();
    }

    private void flush() {
        try {
            store.flush();
            flushing.succeeded();
        } catch (RuntimeException ex) {
            flushing.failed("webhook attempt log not written yet, retrying every 50 ms", ex);
        }
    }

    /** Schedules messages for their next attempt (called with newly queued or replayed messages). */
    private void schedule(List<Document> messages) {
        if (!running) {
            // Scheduled from MongoDB by the next resume.
            return;
        }
        for (Document m : messages) {
            if (known.add(m.getString("_id"))) {
                Date at = m.getDate("nextAttemptAt");
                due.add(new Scheduled(at == null ? 0 : at.getTime(), m));
            }
        }
    }

    private void loop() {
        while (running) {
            try {
                if (rescan) {
                    rescan = false;
                    List<Document> pending = new ArrayList<>();
                    store.pending(pending::add);
                    schedule(pending);
                }
                Scheduled s = due.poll(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                scheduling.succeeded();
                if (s != null) {
                    try {
                        dispatch(s.message());
                    } catch (RuntimeException ex) {
                        // E.g. MongoDB down while the subscription is looked up: the message stays scheduled
                        // (it is in `known`, so nothing else would put it back before a restart).
                        later(s.message(), ex);
                    }
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException ex) {
                if (running) {
                    scheduling.failed("webhook scheduling failed", ex);
                }
            }
        }
    }

    private void dispatch(Document m) {
        String id = m.getString("_id");
        Optional<Subscription> sub = subscriptions.cached(m.getString("tenant"), m.getString("subscriptionId"));
        if (sub.isEmpty() || !sub.get().enabled()) {
            store.abandon(id, sub.isEmpty() ? "endpoint deleted" : "endpoint disabled");
            known.remove(id);
            return;
        }
        Semaphore p = permits.computeIfAbsent(sub.get().id(), k -> new Semaphore(perEndpoint));
        if (!p.tryAcquire()) {
            // Waits for its own endpoint's next free permit; other endpoints are not held up.
            backlog.computeIfAbsent(sub.get().id(), k -> new ConcurrentLinkedQueue<>()).add(m);
            if (p.tryAcquire()) {
                next(sub.get().id(), p);
            }
            return;
        }
        start(m, sub.get(), p);
    }

    private void start(Document m, Subscription sub, Semaphore p) {
        int attempt = m.getInteger("attempts", 0) + 1;
        CompletableFuture.supplyAsync(() -> attempt(m, sub, attempt), bookkeeping).thenCompose(f -> f)
                .whenComplete((v, err) -> {
                    if (err != null) {
                        // The attempt failed before it was made or recorded: try the message again.
                        later(m, err);
                    }
                    next(sub.id(), p);
                });
    }

    /** Puts a message whose dispatch failed on our side back on the schedule, a second from now. */
    private void later(Document m, Throwable why) {
        if (running) {
            try (LogContext ignored = logContext(m)) {
                dispatching.failed("webhook message " + m.getString("_id") + " not sent yet, trying again in 1 s", why);
            }
            due.add(new Scheduled(System.currentTimeMillis() + 1_000, m));
        }
    }

    /** The record, tenant and trace of the message's event, for the log lines about it. */
    private static LogContext logContext(Document m) {
        return LogContext.record(m.getString(DeliveryStore.RECORD_ID), m.getString("tenant"), m.getString(DeliveryStore.TRACEPARENT));
    }

    /** Hands a freed permit of endpoint {@code subId} to its oldest waiting message, or returns it. */
    private void next(String subId, Semaphore p) {
        Queue<Document> q = backlog.get(subId);
        Document waiting = q == null ? null : q.poll();
        if (waiting == null || !running) {
            p.release();
            return;
        }
        Optional<Subscription> sub;
        try {
            sub = subscriptions.cached(waiting.getString("tenant"), subId);
            if (sub.isEmpty() || !sub.get().enabled()) {
                store.abandon(waiting.getString("_id"), sub.isEmpty() ? "endpoint deleted" : "endpoint disabled");
                known.remove(waiting.getString("_id"));
                next(subId, p);
                return;
            }
        } catch (RuntimeException ex) {
            later(waiting, ex);
            p.release();
            return;
        }
        start(waiting, sub.get(), p);
    }

    /**
     * Makes one attempt without holding a thread while the endpoint answers: the permits, not the pool
     * size, bound concurrency, and the HTTP client's own tasks can always run on the pool.
     */
    private CompletableFuture<Void> attempt(Document m, Subscription sub, int attempt) {
        try (LogContext ignored = logContext(m)) {
            return send(m, sub, attempt);
        }
    }

    private CompletableFuture<Void> send(Document m, Subscription sub, int attempt) {
        String id = m.getString("_id");
        String body;
        try {
            body = bodies.of(m);
        } catch (RuntimeException e) {
            finish(m, sub, attempt, Instant.now(), 0, "event.unavailable: " + e.getMessage(), null, null);
            return CompletableFuture.completedFuture(null);
        }
        Instant start = Instant.now();
        URI url = URI.create(sub.url());
        SsrfGuard.Target target = guard.check(url);
        if (!target.allowed()) {
            finish(m, sub, attempt, start, 0, "ssrf.refused: " + target.refusal(), null, null);
            return CompletableFuture.completedFuture(null);
        }
        List<String> signing;
        try {
            signing = secrets.signing(sub, start);
        } catch (SecretBoxException e) {
            // A key missing from the configuration: retried on the schedule, so fixing the keys delivers it.
            // The tenant sees the code only; the key ids are for the operator's log.
            LOG.warnf(e, "webhook endpoint %s of tenant %s: signing secret does not open", sub.id(), sub.tenant());
            finish(m, sub, attempt, start, 0, e.code().code() + ": signing secret unavailable (server key configuration)",
                    null, null);
            return CompletableFuture.completedFuture(null);
        }
        long ts = start.getEpochSecond();
        Map<String, String> headers = new java.util.HashMap<>(Map.of("content-type", "application/json",
                "user-agent", "Tracemark-Webhooks/1", "webhook-id", id, "webhook-timestamp", Long.toString(ts),
                "webhook-signature", WebhookSigning.signatureHeader(id, ts, body, signing)));
        String trace = m.getString(DeliveryStore.TRACEPARENT);
        if (trace != null) {
            // The record's W3C trace context, so a receiver that traces continues the record's trace.
            headers.put(DeliveryStore.TRACEPARENT, trace);
        }
        return transport.post(url, target.address(), headers, body).handleAsync((answer, err) -> {
            if (err == null) {
                finish(m, sub, attempt, start, answer.status(), null, answer.excerpt(), answer.retryAfter());
            } else {
                Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                        ? err.getCause() : err;
                finish(m, sub, attempt, start, 0, cause.getClass().getSimpleName() + ": " + cause.getMessage(), null, null);
            }
            return null;
        }, bookkeeping);
    }

    private void finish(Document m, Subscription sub, int attempt, Instant start, int status, String error,
                        String excerpt, String retryAfter) {
        try (LogContext ignored = logContext(m)) {
            outcome(m, sub, attempt, start, status, error, excerpt, retryAfter);
        }
    }

    private void outcome(Document m, Subscription sub, int attempt, Instant start, int status, String error,
                         String excerpt, String retryAfter) {
        dispatching.succeeded();
        Instant end = Instant.now();
        long latency = Duration.between(start, end).toMillis();
        var a = new DeliveryStore.Attempt(m.getString("_id"), sub.id(), sub.tenant(), attempt, start, status, latency,
                error, excerpt);
        if (status >= 200 && status < 300) {
            store.outcome(a, DeliveryStore.DELIVERED, null);
            metrics.attempt(status, Duration.ofMillis(latency), WebhookMetrics.DELIVERED);
            known.remove(m.getString("_id"));
            subscriptions.healthy(sub);
            return;
        }
        if (status == 410) {
            store.outcome(a, DeliveryStore.FAILED, null);
            metrics.attempt(status, Duration.ofMillis(latency), WebhookMetrics.GONE);
            known.remove(m.getString("_id"));
            disable(sub, "gone", "the endpoint answered 410 Gone");
            return;
        }
        Optional<Duration> next = (status == 429 || status == 503)
                ? schedule.retryAfter(retryAfter, end).or(() -> schedule.delayBefore(attempt)) : schedule.delayBefore(attempt);
        if (error != null && error.startsWith("ssrf.refused")) {
            next = Optional.empty();
        }
        store.outcome(a, next.isPresent() ? DeliveryStore.PENDING : DeliveryStore.FAILED, next.map(end::plus).orElse(null));
        metrics.attempt(status, Duration.ofMillis(latency), next.isPresent() ? WebhookMetrics.RETRYING : WebhookMetrics.FAILED);
        if (next.isPresent() && running) {
            Document again = new Document(m).append("attempts", attempt).append("nextAttemptAt", Date.from(end.plus(next.get())));
            due.add(new Scheduled(end.plus(next.get()).toEpochMilli(), again));
        } else {
            known.remove(m.getString("_id"));
        }
        subscriptions.failing(sub, start);
        Instant since = sub.failingSince() == null ? start : sub.failingSince();
        if (Duration.between(since, end).compareTo(disableAfter) >= 0) {
            disable(sub, "failing", "every attempt failed since " + since);
        }
    }

    private void disable(Subscription sub, String reason, String detail) {
        if (subscriptions.disable(sub, reason)) {
            LOG.infof("webhook endpoint %s of tenant %s disabled: %s", sub.id(), sub.tenant(), detail);
            Instant now = Instant.now();
            com.fasterxml.jackson.databind.node.ObjectNode data = Json.MAPPER.createObjectNode().put("endpointId", sub.id())
                    .put("reason", reason).put("detail", detail);
            events.append(List.of(new Event(Event.idOf(EventTypes.ENDPOINT_DISABLED, sub.id() + ":" + now.toEpochMilli()),
                    EventTypes.ENDPOINT_DISABLED, now, sub.tenant(), List.of(), null, data)));
        }
    }
}
