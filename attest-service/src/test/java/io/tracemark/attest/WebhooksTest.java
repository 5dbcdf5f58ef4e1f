package io.tracemark.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.attest.webhooks.DeliveryWorker;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.KafkaTestClient;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(AttestTestResource.class)
class WebhooksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @Inject
    ApiKeyStore keys;
    @Inject
    DeliveryWorker worker;
    @Inject
    io.tracemark.attest.webhooks.DeliveryStore deliveries;
    @Inject
    com.mongodb.client.MongoClient mongo;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    private record Tenant(String id, String key) {
    }

    private Tenant tenant() {
        String id = "wh-" + UUID.randomUUID().toString().substring(0, 8);
        return new Tenant(id, keys.issue(id, Set.of(Role.READ, Role.WRITE)).apiKey());
    }

    private JsonNode create(Tenant t, String url, String types) throws Exception {
        String body = "{\"url\":\"" + url + "\",\"eventTypes\":" + types + "}";
        return JSON.readTree(given().header("Authorization", "Bearer " + t.key()).contentType("application/json").body(body)
                .post("/v1/webhooks").then().statusCode(201).extract().asString());
    }

    private static void accept(Tenant t) throws Exception {
        String id = "rec-" + UUID.randomUUID();
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send("tracemark.anchor-requests", id, AnchoringTest.request(id, t.id(), AnchoringTest.digest(id)));
        }
    }

    private JsonNode get(Tenant t, String path) throws Exception {
        return JSON.readTree(given().header("Authorization", "Bearer " + t.key()).get(path).then().statusCode(200)
                .extract().asString());
    }

    @Test
    void aMessageLeftByAnInsertThatFailedAfterWritingIsStillDeliveredWhenTheEventIsFannedOutAgain() throws Exception {
        Tenant t = tenant();
        try (Receiver rx = new Receiver()) {
            String subId = create(t, rx.url("/hook"), "[\"record.*\"]").path("id").asText();
            String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
            var event = new io.tracemark.attest.events.StoredEvent(eventId, 1, t.id(), "record.accepted", java.time.Instant.now(),
                    "{\"id\":\"" + eventId + "\",\"type\":\"record.accepted\",\"data\":{}}", null, null);
            String messageId = "msg_" + eventId.substring(4) + "_" + subId.substring(3);
            // The first fan-out's insert reached the server but its answer was lost: the message is stored, never scheduled.
            java.util.Date now = new java.util.Date();
            mongo.getDatabase(database).getCollection("webhook_messages").insertOne(new org.bson.Document("_id", messageId)
                    .append("subscriptionId", subId).append("tenant", t.id()).append("eventId", eventId)
                    .append("type", "record.accepted").append("body", event.json()).append("state", "pending")
                    .append("attempts", 0).append("nextAttemptAt", now).append("leaseUntil", new java.util.Date(0))
                    .append("createdAt", now));
            deliveries.enqueue(List.of(event));
            await().atMost(Duration.ofSeconds(20)).until(() -> !rx.received.isEmpty());
            assertEquals(messageId, rx.received.get(0).header("webhook-id"));
        }
    }

    @Test
    void deliveriesAreSignedPerStandardWebhooksAndVerifyWithTheReferenceLibrary() throws Exception {
        Tenant t = tenant();
        try (Receiver rx = new Receiver()) {
            JsonNode sub = create(t, rx.url("/hook"), "[\"record.*\"]");
            String secret = sub.path("secret").asText();
            assertTrue(secret.startsWith("whsec_"));
            assertEquals(32, java.util.Base64.getDecoder().decode(secret.substring(6)).length);
            accept(t);
            await().atMost(Duration.ofSeconds(30)).until(() -> !rx.received.isEmpty());
            Receiver.Received r = rx.received.get(0);
            new Webhook(secret).verify(r.body(), r.headers());
            assertTrue(r.header("webhook-id").startsWith("msg_"));
            assertEquals("record.accepted", JSON.readTree(r.body()).path("type").asText());
            assertTrue(Math.abs(Long.parseLong(r.header("webhook-timestamp")) - Instant.now().getEpochSecond()) < 30);
            JsonNode got = get(t, "/v1/webhooks/" + sub.path("id").asText());
            assertTrue(got.path("secret").isMissingNode(), "secret is shown only at creation");
        }
    }

    @Test
    void rotationSignsWithOldAndNewSecretDuringTheOverlap() throws Exception {
        Tenant t = tenant();
        try (Receiver rx = new Receiver()) {
            JsonNode sub = create(t, rx.url("/hook"), "[]");
            String id = sub.path("id").asText();
            String old = sub.path("secret").asText();
            String fresh = JSON.readTree(given().header("Authorization", "Bearer " + t.key()).contentType("application/json")
                    .body("{\"overlap\":\"PT1H\"}").post("/v1/webhooks/" + id + "/rotate-secret").then().statusCode(200)
                    .extract().asString()).path("secret").asText();
            given().header("Authorization", "Bearer " + t.key()).post("/v1/webhooks/" + id + "/test").then().statusCode(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> !rx.received.isEmpty());
            Receiver.Received r = rx.received.get(0);
            assertEquals(2, r.header("webhook-signature").split(" ").length);
            new Webhook(old).verify(r.body(), r.headers());
            new Webhook(fresh).verify(r.body(), r.headers());
            assertEquals("webhook.test", JSON.readTree(r.body()).path("type").asText());
        }
    }

    @Test
    void failedAttemptsAreRetriedOnTheScheduleWithTheSameWebhookId() throws Exception {
        Tenant t = tenant();
        try (Receiver rx = new Receiver().then(Receiver.Answer.of(500), Receiver.Answer.of(502), Receiver.Answer.of(500))) {
            String id = create(t, rx.url("/hook"), "[\"webhook.test\"]").path("id").asText();
            given().header("Authorization", "Bearer " + t.key()).post("/v1/webhooks/" + id + "/test").then().statusCode(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> rx.received.size() == 4);
            List<Receiver.Received> r = rx.received;
            assertEquals(1, r.stream().map(x -> x.header("webhook-id")).distinct().count());
            // Test schedule 0s, 300ms, 600ms, 900ms with 10% jitter.
            long[] minGaps = {270, 540, 810};
            for (int i = 1; i < 4; i++) {
                long gap = Duration.between(r.get(i - 1).at(), r.get(i).at()).toMillis();
                assertTrue(gap >= minGaps[i - 1], "gap before attempt " + (i + 1) + " was " + gap + " ms");
            }
            String msg = r.get(0).header("webhook-id");
            await().atMost(Duration.ofSeconds(10)).until(() -> get(t, "/v1/webhooks/" + id + "/messages/" + msg + "/attempts")
                    .path("data").size() == 4);
            JsonNode attempts = get(t, "/v1/webhooks/" + id + "/messages/" + msg + "/attempts").path("data");
            assertEquals(500, attempts.get(0).path("status").asInt());
            assertEquals(200, attempts.get(3).path("status").asInt());
            assertEquals("ok", attempts.get(3).path("responseExcerpt").asText());
        }
    }

    @Test
    void exhaustedScheduleFailsAndReplayDeliversAgain() throws Exception {
        Tenant t = tenant();
        try (Receiver rx = new Receiver().fallback(Receiver.Answer.of(500))) {
            String id = create(t, rx.url("/hook"), "[\"webhook.test\"]").path("id").asText();
            given().header("Authorization", "Bearer " + t.key()).post("/v1/webhooks/" + id + "/test").then().statusCode(202);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    get(t, "/v1/webhooks/" + id + "/messages?state=failed").path("data").size() == 1);
            assertEquals(4, rx.received.size());
            String msg = rx.received.get(0).header("webhook-id");
            rx.fallback(Receiver.Answer.of(204));
            given().header("Authorization", "Bearer " + t.key()).post("/v1/webhooks/" + id + "/messages/" + msg + "/replay")
                    .then().statusCode(202);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    get(t, "/v1/webhooks/" + id + "/messages?state=delivered").path("data").size() == 1);
            assertEquals(msg, rx.received.get(4).header("webhook-id"));
            rx.fallback(Receiver.Answer.of(500));
            given().header("Authorization", "Bearer " + t.key()).post("/v1/webhooks/" + id + "/test").then().statusCode(202);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    get(t, "/v1/webhooks/" + id + "/messages?state=failed").path("data").size() == 1);
            rx.fallback(Receiver.Answer.of(200));
            JsonNode replayed = JSON.readTree(given().header("Authorization", "Bearer " + t.key()).contentType("application/json")
                    .body("{\"since\":\"" + Instant.now().minusSeconds(600) + "\"}").post("/v1/webhooks/" + id + "/replay")
                    .then().statusCode(202).extract().asString());
            assertEquals(1, replayed.path("replayed").asInt());
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    get(t, "/v1/webhooks/" + id + "/messages?state=delivered").path("data").size() == 2);
        }
    }

    @Test
    void goneDisablesTheEndpointAndRaisesEndpointDisabled() throws Exception {
        Tenant t = tenant();
        try (Receiver rx = new Receiver().fallback(Receiver.Answer.of(410))) {
            String id = create(t, rx.url("/hook"), "[\"webhook.test\"]").path("id").asText();
            given().header("Authorization", "Bearer " + t.key()).post("/v1/webhooks/" + id + "/test").then().statusCode(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> !get(t, "/v1/webhooks/" + id).path("enabled").asBoolean());
            assertEquals("gone", get(t, "/v1/webhooks/" + id).path("disabledReason").asText());
            assertEquals(1, rx.received.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> get(t, "/v1/events?types=endpoint.disabled").path("events").size() == 1);
            assertEquals(id, get(t, "/v1/events?types=endpoint.disabled").path("events").get(0).path("data")
                    .path("endpointId").asText());
        }
    }

    @Test
    void retryAfterOn503IsHonoured() throws Exception {
        Tenant t = tenant();
        try (Receiver rx = new Receiver().then(new Receiver.Answer(503, Map.of("Retry-After", "2"), 0))) {
            String id = create(t, rx.url("/hook"), "[\"webhook.test\"]").path("id").asText();
            given().header("Authorization", "Bearer " + t.key()).post("/v1/webhooks/" + id + "/test").then().statusCode(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> rx.received.size() == 2);
            long gap = Duration.between(rx.received.get(0).at(), rx.received.get(1).at()).toMillis();
            assertTrue(gap >= 1900, "retried after " + gap + " ms despite Retry-After: 2");
        }
    }

    @Test
    void deliveryDueWhileStoppedIsMadeAfterRestart() throws Exception {
        Tenant t = tenant();
        try (Receiver rx = new Receiver()) {
            String id = create(t, rx.url("/hook"), "[\"webhook.test\"]").path("id").asText();
            worker.pause();
            try {
                given().header("Authorization", "Bearer " + t.key()).post("/v1/webhooks/" + id + "/test").then().statusCode(202);
                Thread.sleep(1000);
                assertTrue(rx.received.isEmpty(), "nothing is sent while the delivery worker is stopped");
            } finally {
                worker.resume();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> rx.received.size() == 1);
        }
    }

    @Test
    void subscriptionsAreTenantScopedAndValidated() throws Exception {
        Tenant t = tenant();
        Tenant other = tenant();
        try (Receiver rx = new Receiver()) {
            String id = create(t, rx.url("/hook"), "[\"record.*\"]").path("id").asText();
            given().header("Authorization", "Bearer " + other.key()).get("/v1/webhooks/" + id).then().statusCode(404);
            assertEquals(1, get(t, "/v1/webhooks").path("data").size());
            JsonNode patched = JSON.readTree(given().header("Authorization", "Bearer " + t.key()).contentType("application/json")
                    .body("{\"enabled\":false,\"gtins\":[\"04006381333931\"]}").patch("/v1/webhooks/" + id).then().statusCode(200)
                    .extract().asString());
            assertEquals(false, patched.path("enabled").asBoolean());
            assertEquals("04006381333931", patched.path("gtins").get(0).asText());
            JsonNode problem = JSON.readTree(given().header("Authorization", "Bearer " + t.key()).contentType("application/json")
                    .body("{\"url\":\"http://169.254.169.254/latest\",\"eventTypes\":[\"Record!\"]}").post("/v1/webhooks")
                    .then().statusCode(400).contentType("application/problem+json").extract().asString());
            assertEquals("https://tracemark.dev/problems/validation", problem.path("type").asText());
            assertEquals("url.refused", problem.path("errors").get(0).path("code").asText());
            assertEquals("/eventTypes/0", problem.path("errors").get(1).path("pointer").asText());
            given().header("Authorization", "Bearer " + t.key()).contentType("application/json")
                    .body("{\"url\":\"http://10.1.2.3/hook\"}").post("/v1/webhooks").then().statusCode(400);
            given().header("Authorization", "Bearer " + t.key()).delete("/v1/webhooks/" + id).then().statusCode(204);
            given().header("Authorization", "Bearer " + t.key()).get("/v1/webhooks/" + id).then().statusCode(404);
            assertNotNull(rx);
        }
    }
}
