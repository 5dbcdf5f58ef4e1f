package io.tracemark.attest.webhooks;

import io.tracemark.attest.Receiver;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The webhook HTTP transport against a real loopback receiver. */
class WebhookTransportTest {
    private static Vertx vertx;
    private static WebhookTransport transport;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        transport = new WebhookTransport(vertx, Duration.ofMillis(800), 4);
    }

    @AfterAll
    static void stop() {
        transport.close();
        vertx.close();
    }

    @Test
    void connectsToTheCheckedAddressAndSendsTheUrlsHostWithoutResolvingItAgain() throws Exception {
        try (Receiver r = new Receiver()) {
            int port = URI.create(r.url("/")).getPort();
            // The name does not resolve at all: the request can only arrive through the pinned address.
            URI url = URI.create("http://hooks.tracemark.invalid:" + port + "/in?x=1");
            var answer = transport.post(url, InetAddress.getByName("127.0.0.1"), Map.of("webhook-id", "msg_1"),
                    "{\"a\":1}".getBytes(StandardCharsets.UTF_8))
                    .get(5, TimeUnit.SECONDS);
            assertEquals(200, answer.status());
            assertEquals("ok", answer.excerpt());
            Receiver.Received got = r.received.get(0);
            assertEquals("hooks.tracemark.invalid:" + port, got.header("host"));
            assertEquals("/in", got.path());
            assertEquals("msg_1", got.header("webhook-id"));
            assertEquals("{\"a\":1}", got.body());
        }
    }

    @Test
    void reportsStatusAndRetryAfterOfAnEndpointAskingToWait() throws Exception {
        try (Receiver r = new Receiver()) {
            r.then(new Receiver.Answer(503, Map.of("Retry-After", "7"), 0));
            var answer = transport.post(URI.create(r.url("/")), InetAddress.getByName("127.0.0.1"), Map.of(), "{}".getBytes(StandardCharsets.UTF_8))
                    .get(5, TimeUnit.SECONDS);
            assertEquals(503, answer.status());
            assertEquals("7", answer.retryAfter());
        }
    }

    @Test
    void givesUpOnAnEndpointThatDoesNotAnswerWithinTheTimeout() throws Exception {
        try (Receiver r = new Receiver()) {
            r.then(new Receiver.Answer(200, Map.of(), 3_000));
            var pending = transport.post(URI.create(r.url("/")), InetAddress.getByName("127.0.0.1"), Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
            ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(5, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, e.getCause());
        }
    }

    @Test
    void failsWhenNothingListensAtTheAddress() throws Exception {
        int closedPort;
        try (Receiver r = new Receiver()) {
            closedPort = URI.create(r.url("/")).getPort();
        }
        var pending = transport.post(URI.create("http://127.0.0.1:" + closedPort + "/"), InetAddress.getByName("127.0.0.1"),
                Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
        assertThrows(ExecutionException.class, () -> pending.get(5, TimeUnit.SECONDS));
    }

    @Test
    void guardHandsBackTheAddressItCheckedOrTheReasonItRefused() {
        SsrfGuard strict = new SsrfGuard(Optional.empty());
        var refused = strict.check(URI.create("http://127.0.0.1:8080/"));
        assertTrue(refused.refusal().contains("non-public address 127.0.0.1"), refused.refusal());
        var refused10 = strict.check(URI.create("http://10.1.2.3/"));
        assertTrue(refused10.refusal().contains("10.1.2.3"), refused10.refusal());
        SsrfGuard loopbackAllowed = new SsrfGuard(Optional.of(java.util.List.of("127.0.0.0/8")));
        var allowed = loopbackAllowed.check(URI.create("http://127.0.0.1:8080/"));
        assertTrue(allowed.allowed());
        assertEquals("127.0.0.1", allowed.address().getHostAddress());
        assertTrue(strict.check(URI.create("http://172.15.255.255/")).allowed(), "just outside 172.16.0.0/12");
        assertTrue(strict.check(URI.create("http://172.16.0.1/")).refusal().contains("172.16.0.1"));
        assertTrue(strict.check(URI.create("http://100.127.255.254/")).refusal().contains("100.127.255.254"));
    }
}
