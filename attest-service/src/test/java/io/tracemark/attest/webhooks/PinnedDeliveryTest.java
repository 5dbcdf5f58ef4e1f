package io.tracemark.attest.webhooks;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DNS rebinding: delivery connects to the address the guard checked, never to a second resolution of the name. */
class PinnedDeliveryTest {
    private static Vertx vertx;
    private static HttpServer receiver;
    private static final List<String> hosts = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        vertx = Vertx.vertx();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        receiver.createContext("/", ex -> {
            hosts.add(ex.getRequestHeaders().getFirst("Host"));
            byte[] body = "thanks".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Retry-After", "7");
            ex.sendResponseHeaders(202, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
        vertx.close();
    }

    @Test
    void connectsToTheCheckedAddressAndKeepsTheUrlsHostAsHostHeader() throws Exception {
        PinnedHttp http = new PinnedHttp(vertx, Duration.ofSeconds(3), 4);
        int port = receiver.getAddress().getPort();
        // ".invalid" never resolves (RFC 2606): an answer proves the client did not look the name up again.
        URI url = URI.create("http://hooks.example.invalid:" + port + "/in?x=1");
        PinnedHttp.Answer a = http.post(url, InetAddress.getLoopbackAddress(), Map.of("webhook-id", "msg_1"), "{}", 4)
                .get(10, TimeUnit.SECONDS);
        assertEquals(202, a.status());
        assertEquals("than", a.excerpt());
        assertEquals("7", a.retryAfter());
        assertTrue(hosts.contains("hooks.example.invalid:" + port), hosts.toString());
        http.close();
    }

    @Test
    void guardResolvesOnceAndRefusesAnyNameThatReachesInward() {
        SsrfGuard strict = new SsrfGuard(Optional.empty());
        SsrfGuard.Target refused = strict.resolve(URI.create("http://localhost:8080/hook"));
        assertNull(refused.address());
        assertTrue(refused.refusal().contains("non-public address"), refused.refusal());
        assertTrue(strict.resolve(URI.create("http://user:pw@example.com/")).refusal().contains("credentials"));

        SsrfGuard local = new SsrfGuard(Optional.of(List.of("127.0.0.0/8")));
        SsrfGuard.Target pinned = local.resolve(URI.create("http://127.0.0.1:9/hook"));
        assertNull(pinned.refusal());
        assertNotNull(pinned.address());
        assertEquals("127.0.0.1", pinned.address().getHostAddress());
    }
}
