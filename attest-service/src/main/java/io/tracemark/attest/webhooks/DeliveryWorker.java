package io.tracemark.attest.webhooks;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.edge.logging.FailureStreak;
import io.tracemark.edge.logging.LogContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends due webhook messages (Standard Webhooks 1.0): each attempt is made by the {@link AttemptSender} within its
 * endpoint's cap ({@link EndpointLanes}), and its result applied by {@link DeliveryOutcomes}.
 *
 * <p>A message due now (fanned out, replayed) starts at once; one due later waits in memory (a delay queue).
 * MongoDB holds every message's state and is read back at start-up, so attempts scheduled before a restart are
 * made after it, and no poll scans {@code webhook_messages}. The next message of an endpoint starts on the thread
 * that took the previous one's answer, so a delivery costs one hand-over to the HTTP client's event loop and one
 * back.
 */
@ApplicationScoped
public class DeliveryWorker {
    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    @Inject
    DeliveryStore store;
    @Inject
    SubscriptionStore subscriptions;
    @Inject
    AttemptSender sender;
    @Inject
    DeliveryOutcomes outcomes;
    @ConfigProperty(name = "tracemark.attest.webhooks.poll-interval", defaultValue = "200ms")
    Duration pollInterval;
    @ConfigProperty(name = "tracemark.attest.webhooks.max-concurrency-per-endpoint", defaultValue = "64")
    int perEndpoint;
    @ConfigProperty(name = "tracemark.attest.webhooks.enabled", defaultValue = "true")
    boolean enabled;

    private EndpointLanes lanes;
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
        lanes = new EndpointLanes(perEndpoint);
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
        known.clear();
        if (lanes != null) {
            lanes.clear();
        }
    }

    private void flush() {
        try {
            store.flush();
            flushing.succeeded();
        } catch (RuntimeException ex) {
            flushing.failed("webhook attempt log not written yet, retrying every 50 ms", ex);
        }
    }

    /**
     * Schedules messages for their next attempt (newly queued or replayed ones): those due now start at once, on
     * the bookkeeping pool rather than the caller's thread, whose Vert.x context (a Kafka poll's) the HTTP client
     * would otherwise adopt for their requests and answers.
     */
    private void schedule(List<Document> messages) {
        if (!running) {
            // Scheduled from MongoDB by the next resume.
            return;
        }
        long now = System.currentTimeMillis();
        List<Document> dueNow = new ArrayList<>(messages.size());
        for (Document m : messages) {
            if (known.add(m.getString("_id"))) {
                Date at = m.getDate("nextAttemptAt");
                if (at == null || at.getTime() <= now) {
                    dueNow.add(m);
                } else {
                    due.add(new Scheduled(at.getTime(), m));
                }
            }
        }
        if (!dueNow.isEmpty()) {
            try {
                bookkeeping.execute(() -> dueNow.forEach(this::dispatchCatching));
            } catch (RejectedExecutionException stopping) {
                // Paused meanwhile: the store keeps them pending for the next resume.
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
                    dispatchCatching(s.message());
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

    private void dispatchCatching(Document m) {
        try {
            dispatch(m);
        } catch (RuntimeException ex) {
            // E.g. MongoDB down while the subscription is looked up: the message stays scheduled
            // (it is in `known`, so nothing else would put it back before a restart).
            later(m, ex);
        }
    }

    /** Starts message {@code m} if its endpoint has a free permit; otherwise it waits in the endpoint's backlog. */
    private void dispatch(Document m) {
        Optional<Subscription> sub = deliverable(m);
        if (sub.isPresent()) {
            EndpointLanes.Lane lane = lanes.of(sub.get().id());
            Document now = lane.admit(m);
            if (now == m) {
                start(m, sub.get(), lane);
            } else if (now != null) {
                startOrPass(now, lane);
            }
        }
    }

    /** The enabled subscription of message {@code m}, or empty after ending the message as undeliverable. */
    private Optional<Subscription> deliverable(Document m) {
        Optional<Subscription> sub = subscriptions.cached(m.getString("tenant"), m.getString("subscriptionId"));
        if (sub.isEmpty() || !sub.get().enabled()) {
            store.abandon(m.getString("_id"), sub.isEmpty() ? "endpoint deleted" : "endpoint disabled");
            known.remove(m.getString("_id"));
            return Optional.empty();
        }
        return sub;
    }

    /**
     * Makes one attempt of {@code m}, which holds a permit of {@code lane}. The result is applied on the
     * bookkeeping pool, which then starts the lane's next waiting message.
     */
    private void start(Document m, Subscription sub, EndpointLanes.Lane lane) {
        int attempt = m.getInteger("attempts", 0) + 1;
        CompletableFuture<AttemptSender.Result> result;
        try (LogContext ignored = logContext(m)) {
            result = sender.send(m, sub);
        } catch (RuntimeException ex) {
            result = CompletableFuture.failedFuture(ex);
        }
        result.whenCompleteAsync((r, err) -> {
            try (LogContext ignored = logContext(m)) {
                if (err != null) {
                    // The attempt failed before it was made or recorded: try the message again.
                    later(m, err);
                } else {
                    finish(m, sub, attempt, r);
                }
            } catch (RuntimeException ex) {
                later(m, ex);
            }
            Document waiting = lane.release();
            if (waiting != null) {
                startOrPass(waiting, lane);
            }
        }, bookkeeping);
    }

    private void finish(Document m, Subscription sub, int attempt, AttemptSender.Result r) {
        dispatching.succeeded();
        Optional<Instant> next = outcomes.record(m, sub, attempt, r);
        if (next.isPresent() && running) {
            Document again = new Document(m).append("attempts", attempt).append("nextAttemptAt", Date.from(next.get()));
            due.add(new Scheduled(next.get().toEpochMilli(), again));
        } else {
            known.remove(m.getString("_id"));
        }
    }

    /**
     * Starts {@code waiting}, which holds a permit of {@code lane}; a message whose endpoint went away meanwhile is
     * ended and the permit passes on to the next one, in a loop rather than a recursion over a long backlog.
     */
    private void startOrPass(Document waiting, EndpointLanes.Lane lane) {
        Document m = waiting;
        while (m != null && running) {
            try {
                Optional<Subscription> sub = deliverable(m);
                if (sub.isPresent()) {
                    start(m, sub.get(), lane);
                    return;
                }
            } catch (RuntimeException ex) {
                later(m, ex);
            }
            m = lane.release();
        }
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
}
