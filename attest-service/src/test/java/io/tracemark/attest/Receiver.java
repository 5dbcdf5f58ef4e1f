package io.tracemark.attest;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

/** A real HTTP webhook receiver on loopback that answers with scripted statuses and records every request. */
public final class Receiver implements AutoCloseable {
    /** One received request. */
    public record Received(Instant at, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }
    }

    /** A scripted answer. */
    public record Answer(int status, Map<String, String> headers, long delayMs) {
        public static Answer of(int status) {
            return new Answer(status, Map.of(), 0);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private volatile Answer fallback = Answer.of(200);
    /** Every request in arrival order (a copy-on-write list made the receiver quadratic under load). */
    public final List<Received> received = Collections.synchronizedList(new ArrayList<>());

    public Receiver() throws IOException {
        // Without nodelay the JDK server's keep-alive replies wait ~40 ms on Nagle + delayed ACK (read once, statically).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            received.add(new Received(Instant.now(), ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()),
                    new String(body, StandardCharsets.UTF_8)));
            Answer a = script.poll();
            if (a == null) {
                a = fallback;
            }
            if (a.delayMs() > 0) {
                try {
                    Thread.sleep(a.delayMs());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            byte[] out = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(a.status(), out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers the next requests in order, then falls back to {@link #fallback(Answer)}. */
    public Receiver then(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    public Receiver fallback(Answer a) {
        fallback = a;
        return this;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
