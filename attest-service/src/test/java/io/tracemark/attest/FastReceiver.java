package io.tracemark.attest;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback webhook receiver for benchmarks: a Vert.x HTTP server on its own event loop that answers 204 at
 * once (TCP_NODELAY, keep-alive) and keeps each request's Standard Webhooks headers and body for checks made
 * after the timed part, so the receiver costs the sender's machine as little as a real one would.
 */
final class FastReceiver implements AutoCloseable {
    /** One request: arrival (epoch ms), the three Standard Webhooks headers and the body as received. */
    record Received(long atMillis, String id, String timestamp, String signature, byte[] body) {
        /** The headers as the Standard Webhooks library takes them. */
        Map<String, List<String>> headers() {
            return Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(timestamp),
                    "webhook-signature", List.of(signature));
        }
    }

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final HttpServer server;

    FastReceiver() throws Exception {
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true)
                        .setCompressionSupported(false))
                .requestHandler(req -> req.body().onSuccess(body -> {
                    received.add(new Received(System.currentTimeMillis(), req.getHeader("webhook-id"),
                            req.getHeader("webhook-timestamp"), req.getHeader("webhook-signature"), body.getBytes()));
                    count.incrementAndGet();
                    req.response().setStatusCode(204).end();
                }))
                .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    /** Requests received so far. */
    int count() {
        return count.get();
    }

    /** Every request so far, in arrival order. */
    List<Received> received() {
        return new ArrayList<>(received);
    }

    @Override
    public void close() {
        vertx.close();
    }
}
