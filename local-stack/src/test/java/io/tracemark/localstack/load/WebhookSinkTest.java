package io.tracemark.localstack.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventCodec;
import io.tracemark.contracts.events.EventTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
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
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The receiver against a stand-in for attest's subscription API and Standard Webhooks-signed deliveries. */
class WebhookSinkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<JsonNode> subscriptions = new ArrayList<>();
    private final List<String> secrets = new ArrayList<>();
    private HttpServer attest;

    @BeforeEach
    void fakeAttest() throws Exception {
        attest = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        attest.createContext("/v1/webhooks", ex -> {
            JsonNode body = JSON.readTree(ex.getRequestBody());
            byte[] key = new byte[32];
            key[0] = (byte) subscriptions.size();
            String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
            synchronized (this) {
                subscriptions.add(body);
                secrets.add(secret);
            }
            byte[] out = JSON.writeValueAsBytes(JSON.createObjectNode().put("id", "ep_" + subscriptions.size()).put("secret", secret));
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(201, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        attest.start();
    }

    @AfterEach
    void stop() {
        attest.stop(0);
    }

    private int deliver(int subscription, String webhookId, String body, String secret) throws Exception {
        long ts = Instant.now().getEpochSecond();
        String signature = new Webhook(secret).sign(webhookId, ts, body);
        return http.send(HttpRequest.newBuilder(URI.create(subscriptions.get(subscription).path("url").asText()))
                .header("webhook-id", webhookId).header("webhook-timestamp", Long.toString(ts))
                .header("webhook-signature", signature).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String event(String record, Instant at) {
        Event e = new Event(Event.idOf(EventTypes.RECORD_ACCEPTED, record), EventTypes.RECORD_ACCEPTED, at, "t", List.of(),
                null, JSON.createObjectNode().put("recordId", record));
        return new String(EventCodec.value(e), StandardCharsets.UTF_8);
    }

    @Test
    void subscribesNTimesAnswers204AndCountsSignaturesIdsAndLatency() throws Exception {
        String attestUrl = "http://127.0.0.1:" + attest.getAddress().getPort();
        try (WebhookSink sink = WebhookSink.start(attestUrl, "tmk_test", 2)) {
            assertEquals(2, subscriptions.size());
            assertEquals(List.of("record.accepted", "record.anchored"),
                    JSON.convertValue(subscriptions.get(0).path("eventTypes"), List.class));
            assertTrue(subscriptions.get(1).path("url").asText().matches("http://127\\.0\\.0\\.1:\\d+/hooks/1"));
            Instant at = Instant.now().minusMillis(250);
            assertEquals(204, deliver(0, "msg_a0", event("A", at), secrets.get(0)));
            assertEquals(204, deliver(1, "msg_a1", event("A", at), secrets.get(1)));
            assertEquals(204, deliver(0, "msg_a0", event("A", at), secrets.get(0)));
            assertEquals(204, deliver(1, "msg_b1", event("B", at), secrets.get(0)));
            WebhookSink.Tally t = sink.await(1, Duration.ofSeconds(5), new PrintStream(new ByteArrayOutputStream()));
            assertEquals(4, t.deliveries());
            assertEquals(3, t.distinctIds());
            assertEquals(2, t.eventDeliveries());
            assertEquals(2, t.expectedEventDeliveries());
            assertEquals(1, t.invalidSignatures());
            assertTrue(t.invalidExamples().get(0).startsWith("msg_b1"), t.invalidExamples().toString());
            assertEquals(3, t.latenciesMs().size());
            assertTrue(t.latenciesMs().get(0) >= 250, t.latenciesMs().toString());
        }
    }
}
