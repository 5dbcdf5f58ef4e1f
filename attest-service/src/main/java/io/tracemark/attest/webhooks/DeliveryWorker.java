package io.tracemark.attest.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.attest.events.EventDispatcher;
import io.tracemark.attest.events.EventTypes;
import io.tracemark.attest.events.NewEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends due webhook messages (Standard Webhooks 1.0) with a non-blocking HTTP client.
 *
 * <p>A poller picks due messages from MongoDB, so attempts scheduled before a restart are made after it.
 * Each endpoint has its own concurrency cap, and a message over the cap simply waits for the next poll,
 * so a slow endpoint only ever holds its own permits: other endpoints and anchoring never wait for it.
 * Outcomes: 2xx delivered; 410 disables the endpoint; 429/503 retry after {@code Retry-After}; anything
 * else retries on the {@link RetrySchedule}; an endpoint failing continuously for
 * {@code tracemark.attest.webhooks.disable-after} is disabled and an {@code endpoint.disabled} event raised.
 */
@ApplicationScoped
public class DeliveryWorker {
    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    private static final int EXCERPT = 1024;

    @Inject
    DeliveryStore store;
    @Inject
    SubscriptionStore subscriptions;
    @Inject
    RetrySchedule schedule;
    @Inject
    SsrfGuard guard;
    @Inject
    EventDispatcher events;
    @Inject
    MeterRegistry meters;
    @ConfigProperty(name = "tracemark.attest.webhooks.poll-interval", defaultValue = "200ms")
    Duration pollInterval;
    @ConfigProperty(name = "tracemark.attest.webhooks.timeout", defaultValue = "15s")
    Duration timeout;
    @ConfigProperty(name = "tracemark.attest.webhooks.max-concurrency-per-endpoint", defaultValue = "16")
    int perEndpoint;
    @ConfigProperty(name = "tracemark.attest.webhooks.disable-after", defaultValue = "P5D")
    Duration disableAfter;
    @ConfigProperty(name = "tracemark.attest.webhooks.enabled", defaultValue = "true")
    boolean enabled;

    private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private ExecutorService bookkeeping;
    private HttpClient http;
    private volatile boolean running;
    private Thread thread;

    void start(@Observes StartupEvent e) {
        if (enabled) {
            resume();
        }
    }

    void stop(@Observes ShutdownEvent e) {
        pause();
    }

    /** Starts polling (at start-up). */
    public synchronized void resume() {
        if (running) {
            return;
        }
        bookkeeping = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "attest-webhook-io");
            t.setDaemon(true);
            return t;
        });
        http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .executor(bookkeeping).build();
        store.onEnqueue(wake::release);
        running = true;
        thread = new Thread(this::loop, "attest-webhook-poller");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops polling and drops in-flight work, as a process stop does; leases expire and others pick it up. */
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
        }
        permits.clear();
    }

    private void loop() {
        while (running) {
            try {
                wake.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                Instant now = Instant.now();
                java.util.Set<String> saturated = new java.util.HashSet<>();
                permits.forEach((sub, p) -> {
                    if (p.availablePermits() == 0) {
                        saturated.add(sub);
                    }
                });
                store.due(now, 500, saturated, d -> dispatch(d, now));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException ex) {
                if (running) {
                    LOG.warnf("webhook poll failed: %s", ex.toString());
                }
            }
        }
    }

    private void dispatch(Document m, Instant now) {
        String id = m.getString("_id");
        Optional<Subscription> sub = subscriptions.cached(m.getString("tenant"), m.getString("subscriptionId"));
        if (sub.isEmpty() || !sub.get().enabled()) {
            store.abandon(id, sub.isEmpty() ? "endpoint deleted" : "endpoint disabled");
            return;
        }
        Semaphore p = permits.computeIfAbsent(sub.get().id(), k -> new Semaphore(perEndpoint));
        if (!p.tryAcquire()) {
            return;
        }
        // The lease outlives the request timeout, so a crashed attempt is retried and a live one is not doubled.
        if (!store.lease(id, now, timeout.multipliedBy(2).plusSeconds(30))) {
            p.release();
            return;
        }
        int attempt = m.getInteger("attempts", 0) + 1;
        CompletableFuture.runAsync(() -> attempt(m, sub.get(), attempt), bookkeeping)
                .whenComplete((v, err) -> {
                    p.release();
                    // A freed permit may unblock the endpoint's backlog: poll again now, not at the next tick.
                    wake.release();
                });
    }

    private void attempt(Document m, Subscription sub, int attempt) {
        String id = m.getString("_id");
        String body = m.getString("body");
        Instant start = Instant.now();
        Optional<String> refused = guard.refuse(URI.create(sub.url()));
        if (refused.isPresent()) {
            finish(m, sub, attempt, start, 0, "ssrf.refused: " + refused.get(), null, null);
            return;
        }
        long ts = start.getEpochSecond();
        HttpRequest req = HttpRequest.newBuilder(URI.create(sub.url())).timeout(timeout)
                .header("content-type", "application/json").header("user-agent", "Tracemark-Webhooks/1")
                .header("webhook-id", id).header("webhook-timestamp", Long.toString(ts))
                .header("webhook-signature", WebhookSigning.signatureHeader(id, ts, body, sub.activeSecrets(start)))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        StringBuilder excerpt = new StringBuilder();
        try {
            HttpResponse<Void> resp = http.sendAsync(req, info -> HttpResponse.BodySubscribers.ofByteArrayConsumer(chunk -> {
                if (chunk.isPresent() && excerpt.length() < EXCERPT) {
                    excerpt.append(new String(chunk.get(), StandardCharsets.UTF_8));
                }
            })).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            String text = excerpt.length() > EXCERPT ? excerpt.substring(0, EXCERPT) : excerpt.toString();
            finish(m, sub, attempt, start, resp.statusCode(), null, text, resp.headers().firstValue("retry-after").orElse(null));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } catch (Exception ex) {
            Throwable cause = ex.getCause() == null ? ex : ex.getCause();
            finish(m, sub, attempt, start, 0, cause.getClass().getSimpleName() + ": " + cause.getMessage(), null, null);
        }
    }

    private void finish(Document m, Subscription sub, int attempt, Instant start, int status, String error,
                        String excerpt, String retryAfter) {
        Instant end = Instant.now();
        long latency = Duration.between(start, end).toMillis();
        var a = new DeliveryStore.Attempt(m.getString("_id"), sub.id(), sub.tenant(), attempt, start, status, latency,
                error, excerpt);
        Timer.builder("tracemark.webhooks.attempt.latency").tag("outcome", status >= 200 && status < 300 ? "2xx" : "error")
                .publishPercentiles(0.5, 0.99).register(meters).record(Duration.ofMillis(latency));
        if (status >= 200 && status < 300) {
            store.outcome(a, DeliveryStore.DELIVERED, null);
            subscriptions.healthy(sub);
            Counter.builder("tracemark.webhooks.delivered").register(meters).increment();
            return;
        }
        if (status == 410) {
            store.outcome(a, DeliveryStore.FAILED, null);
            disable(sub, "gone", "the endpoint answered 410 Gone");
            return;
        }
        Optional<Duration> next = (status == 429 || status == 503)
                ? schedule.retryAfter(retryAfter, end).or(() -> schedule.delayBefore(attempt)) : schedule.delayBefore(attempt);
        if (error != null && error.startsWith("ssrf.refused")) {
            next = Optional.empty();
        }
        store.outcome(a, next.isPresent() ? DeliveryStore.PENDING : DeliveryStore.FAILED, next.map(end::plus).orElse(null));
        subscriptions.failing(sub, start);
        Instant since = sub.failingSince() == null ? start : sub.failingSince();
        if (Duration.between(since, end).compareTo(disableAfter) >= 0) {
            disable(sub, "failing", "every attempt failed since " + since);
        }
    }

    private void disable(Subscription sub, String reason, String detail) {
        if (subscriptions.disable(sub, reason)) {
            LOG.infof("webhook endpoint %s of tenant %s disabled: %s", sub.id(), sub.tenant(), detail);
            String data = "{\"endpointId\":\"" + sub.id() + "\",\"reason\":\"" + reason + "\",\"detail\":"
                    + quote(detail) + "}";
            events.append(List.of(new NewEvent(EventTypes.ENDPOINT_DISABLED + ":" + sub.id() + ":" + Instant.now().toEpochMilli(),
                    sub.tenant(), EventTypes.ENDPOINT_DISABLED, Instant.now(), data, null, null)));
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
