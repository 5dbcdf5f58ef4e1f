package io.tracemark.localstack.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventCodec;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The load run's webhook subscriber: N subscriptions of the run tenant (attest's {@code POST
 * /v1/webhooks}) all pointing at one loopback receiver, which answers 204 at once (no I/O, no delay)
 * after checking the signature with the Standard Webhooks reference library and noting event →
 * delivery latency (arrival − the event's timestamp). Subscription {@code k} posts to {@code /hooks/k}.
 */
final class WebhookSink implements AutoCloseable {
    /** The event types every subscription asks for: those the load produces. */
    static final List<String> EVENT_TYPES = List.of("record.accepted", "record.anchored");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXAMPLES = 5;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "load-webhook-sink");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReferenceArray<Webhook> verifiers;
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong invalid = new AtomicLong();
    private final AtomicLong firstNanos = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastNanos = new AtomicLong();
    private final Set<String> webhookIds = ConcurrentHashMap.newKeySet();
    /** "k:eventId": what each subscription has been given, whatever the webhook-id. */
    private final Set<String> eventDeliveries = ConcurrentHashMap.newKeySet();
    private final List<Long> latenciesMs = Collections.synchronizedList(new ArrayList<>());
    private final List<String> invalidExamples = Collections.synchronizedList(new ArrayList<>());

    /**
     * What the receiver saw.
     *
     * @param deliveries        requests received (each answered 204)
     * @param distinctIds       distinct {@code webhook-id}s among them
     * @param eventDeliveries   distinct (subscription, event id) pairs delivered
     * @param invalidSignatures requests whose signature did not verify (or whose body was not an event)
     * @param latenciesMs       event → delivery per request, sorted
     * @param span              first to last delivery
     */
    record Tally(int subscriptions, long deliveries, long distinctIds, long eventDeliveries, long expectedEventDeliveries,
                 long invalidSignatures, List<String> invalidExamples, List<Long> latenciesMs, Duration span) {
        /** Deliveries per second from the first to the last. */
        double perSecond() {
            return deliveries / Math.max(0.001, span.toNanos() / 1e9);
        }
    }

    private WebhookSink(int subscriptions) throws IOException {
        // Without nodelay the JDK server's keep-alive replies wait ~40 ms on Nagle + delayed ACK; read once, statically.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        verifiers = new AtomicReferenceArray<>(subscriptions);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(pool);
        server.createContext("/hooks/", this::handle);
        server.start();
    }

    /** Starts the receiver and subscribes it {@code n} times as the tenant with key {@code apiKey}. */
    static WebhookSink start(String attestUrl, String apiKey, int n) throws Exception {
        WebhookSink sink = new WebhookSink(n);
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (int k = 0; k < n; k++) {
                String body = JSON.writeValueAsString(Map.of("url", sink.url(k), "eventTypes", EVENT_TYPES,
                        "description", "load driver subscription " + k));
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(attestUrl + "/v1/webhooks"))
                        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + apiKey)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("webhook subscription refused: HTTP " + r.statusCode() + " " + r.body()
                            + (r.statusCode() == 422 ? " (are loopback targets allowed? --webhooks-allow-loopback true)" : ""));
                }
                JsonNode created = JSON.readTree(r.body());
                sink.verifiers.set(k, new Webhook(created.path("secret").asText()));
            }
            return sink;
        } catch (Exception e) {
            sink.close();
            throw e;
        }
    }

    private String url(int k) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/" + k;
    }

    /**
     * Tallies, then answers 204: checking an HMAC and parsing the event take microseconds, and a delivery
     * attest has seen answered is then always already counted.
     */
    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            long arrived = System.nanoTime();
            Instant now = Instant.now();
            deliveries.incrementAndGet();
            firstNanos.accumulateAndGet(arrived, Math::min);
            lastNanos.accumulateAndGet(arrived, Math::max);
            String webhookId = ex.getRequestHeaders().getFirst("webhook-id");
            webhookIds.add(String.valueOf(webhookId));
            int k = subscription(ex.getRequestURI().getPath());
            Webhook verifier = k < 0 ? null : verifiers.get(k);
            try {
                if (verifier == null) {
                    throw new WebhookVerificationException("no secret for " + ex.getRequestURI().getPath());
                }
                verifier.verify(new String(body, StandardCharsets.UTF_8), ex.getRequestHeaders());
                Event e = EventCodec.decode(body, h -> null);
                eventDeliveries.add(k + ":" + e.id());
                latenciesMs.add(Duration.between(e.timestamp(), now).toMillis());
            } catch (WebhookVerificationException | ContractViolation e) {
                invalid.incrementAndGet();
                if (invalidExamples.size() < EXAMPLES) {
                    invalidExamples.add(webhookId + ": " + e.getMessage());
                }
            }
            ex.sendResponseHeaders(204, -1);
        }
    }

    private int subscription(String path) {
        try {
            int k = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
            return k >= 0 && k < verifiers.length() ? k : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Waits until each subscription has every one of {@code events} distinct events, the timeout passes,
     * or nothing arrives for a minute (attest gave up or stalled: waiting longer would only hide that).
     */
    Tally await(long events, Duration timeout, PrintStream out) throws InterruptedException {
        long expected = events * verifiers.length();
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastPrint = System.nanoTime();
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        while (eventDeliveries.size() < expected && System.nanoTime() < deadline
                && System.nanoTime() - lastProgress < 60_000_000_000L) {
            if (deliveries.get() != lastCount) {
                lastCount = deliveries.get();
                lastProgress = System.nanoTime();
            }
            if (System.nanoTime() - lastPrint > 2_000_000_000L) {
                out.printf("  webhooks: %,d of %,d event deliveries (%,d requests)%n", eventDeliveries.size(), expected,
                        deliveries.get());
                lastPrint = System.nanoTime();
            }
            Thread.sleep(100);
        }
        return tally(expected);
    }

    private Tally tally(long expected) {
        List<Long> sorted;
        synchronized (latenciesMs) {
            sorted = new ArrayList<>(latenciesMs);
        }
        Collections.sort(sorted);
        long first = firstNanos.get();
        Duration span = first == Long.MAX_VALUE ? Duration.ZERO : Duration.ofNanos(lastNanos.get() - first);
        return new Tally(verifiers.length(), deliveries.get(), webhookIds.size(), eventDeliveries.size(), expected,
                invalid.get(), List.copyOf(invalidExamples), List.copyOf(sorted), span);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
