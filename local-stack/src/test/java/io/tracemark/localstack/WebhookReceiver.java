package io.tracemark.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A real Standard Webhooks 1.0 receiver on loopback: it checks every request's signature on arrival
 * with the reference library (whose timestamp tolerance means it cannot be checked later), answers as
 * its {@link Policy} says, and keeps a small record of each request (never the body: receipts are large).
 * Deduplication by {@code webhook-id}, as the spec asks of receivers, is left to whoever reads the log.
 */
final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to answer: status, optional {@code Retry-After} seconds (negative: none), and a delay first. */
    record Answer(int status, int retryAfterSeconds, long delayMs) {
        static Answer ok() {
            return new Answer(200, -1, 0);
        }
    }

    /** Chooses the answer to a request, given its {@code webhook-id} and how many times that id arrived (1-based). */
    @FunctionalInterface
    interface Policy {
        Answer answer(String webhookId, int attempt);
    }

    /**
     * One request as received.
     *
     * @param signatureError why the signature did not verify, or {@code null} when it did
     */
    record Request(Instant at, String webhookId, int attempt, String type, String recordId, int answered,
                   String signatureError) {
        boolean delivered() {
            return answered / 100 == 2;
        }
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(32);
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    /** Every request in arrival order; copied under its lock when read (a copy-on-write list is quadratic here). */
    private final List<Request> requests = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private volatile Policy policy = (id, attempt) -> Answer.ok();
    private volatile String secret;

    WebhookReceiver() throws IOException {
        // Without nodelay the JDK server's keep-alive replies wait ~40 ms on Nagle + delayed ACK (read once, statically).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The receiver's URL on loopback. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The subscription's {@code whsec_} secret, known once the subscription is created. */
    WebhookReceiver secret(String whsec) {
        this.secret = whsec;
        return this;
    }

    WebhookReceiver policy(Policy p) {
        this.policy = p;
        return this;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String id = ex.getRequestHeaders().getFirst("webhook-id");
            String error = verify(body, ex.getRequestHeaders());
            int attempt = seen.computeIfAbsent(String.valueOf(id), k -> new AtomicInteger()).incrementAndGet();
            Answer a = error != null ? new Answer(400, -1, 0) : policy.answer(id, attempt);
            if (a.delayMs() > 0) {
                Thread.sleep(a.delayMs());
            }
            String type = null;
            String recordId = null;
            try {
                JsonNode event = JSON.readTree(body);
                type = event.path("type").asText(null);
                recordId = event.path("data").path("recordId").asText(null);
            } catch (IOException notJson) {
                error = error == null ? "body is not JSON" : error;
            }
            requests.add(new Request(Instant.now(), id, attempt, type, recordId, a.status(), error));
            if (a.retryAfterSeconds() >= 0) {
                ex.getResponseHeaders().add("Retry-After", Integer.toString(a.retryAfterSeconds()));
            }
            ex.sendResponseHeaders(a.status(), -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String verify(String body, Map<String, List<String>> headers) {
        String s = secret;
        if (s == null) {
            return "no secret known yet";
        }
        try {
            new Webhook(s).verify(body, headers);
            return null;
        } catch (WebhookVerificationException e) {
            return e.getMessage();
        }
    }

    /** Every request so far, in arrival order. */
    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Requests of one event type that were answered 2xx. */
    List<Request> delivered(String type) {
        return requests().stream().filter(r -> r.delivered() && type.equals(r.type())).toList();
    }

    /** Record ids with at least one 2xx delivery of {@code type}. */
    Set<String> deliveredRecordIds(String type) {
        return delivered(type).stream().map(Request::recordId).collect(Collectors.toSet());
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
