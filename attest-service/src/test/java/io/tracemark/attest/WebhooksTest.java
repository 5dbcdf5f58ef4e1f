package io.tracemark.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.standardwebhooks.Webhook;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.attest.webhooks.DeliveryStore;
import io.tracemark.attest.webhooks.DeliveryWorker;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventCodec;
import io.tracemark.contracts.events.EventRouting;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    DeliveryStore deliveries;
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    private record Tenant(String id, String key) {
    }

    private Tenant tenant() {
        String id = "wh-" + UUID.randomUUID().toString().substring(0, 8);
        return new Tenant(id, keys.issue(id, Set.of(Role.READ, Role.WRITE)).apiKey());
    }

    private JsonNode create(Tenant t, String url, String types) throws Exception {
        return create(t, url, types, "[]");
    }

    private JsonNode create(Tenant t, String url, String types, String gtins) throws Exception {
        String body = "{\"url\":\"" + url + "\",\"eventTypes\":" + types + ",\"gtins\":" + gtins + "}";
        return JSON.readTree(given().header("Authorization", "Bearer " + t.key()).contentType("application/json").body(body)
                .post("/v1/webhooks").then().statusCode(201).extract().asString());
    }

    /** A record of the tenant accepted now: its anchor request, as ingest publishes it. */
    private static AnchorRequest accept(Tenant t) {
        AnchorRequest r = Pipeline.request(t.id());
        Pipeline.anchor(List.of(r));
        return r;
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
            String recordId = Pipeline.newRecordId();
            Event event = new Event(Event.idOf(EventTypes.RECORD_ACCEPTED, recordId), EventTypes.RECORD_ACCEPTED, Instant.now(),
                    t.id(), List.of(), null, JSON.createObjectNode().put("recordId", recordId));
            String messageId = "msg_" + event.id().substring(4) + "_" + subId.substring(3);
            // The first fan-out's insert reached the server but its answer was lost: the message is stored, never scheduled.
            Date now = new Date();
            mongo.getDatabase(database).getCollection("webhook_messages").insertOne(new Document("_id", messageId)
                    .append("subscriptionId", subId).append("tenant", t.id()).append("eventId", event.id())
                    .append("type", event.type()).append("body", new String(EventCodec.value(event), StandardCharsets.UTF_8))
                    .append("state", "pending").append("attempts", 0).append("nextAttemptAt", now)
                    .append("leaseUntil", new Date(0)).append("createdAt", now));
            deliveries.enqueue(List.of(new DeliveryStore.Located(EventRouting.of(event),
                    new String(EventCodec.value(event), StandardCharsets.UTF_8), "tracemark.events", 0, 0)));
            await().atMost(Duration.ofSeconds(20)).until(() -> !rx.received.isEmpty());
            assertEquals(messageId, rx.received.get(0).header("webhook-id"));
            assertEquals(event.id(), JSON.readTree(rx.received.get(0).body()).path("id").asText());
        }
    }

    @Test
    void deliveriesAreSignedPerStandardWebhooksAndVerifyWithTheReferenceLibrary() throws Exception {
        Tenant t = tenant();
        try (Receiver rx = new Receiver()) {
            JsonNode sub = create(t, rx.url("/hook"), "[\"record.*\"]");
            String secret = sub.path("secret").asText();
            assertTrue(secret.startsWith("whsec_"));
            assertEquals(32, Base64.getDecoder().decode(secret.substring(6)).length);
            accept(t);
            await().atMost(Duration.ofSeconds(30)).until(() -> received(rx, "/hook", EventTypes.RECORD_ACCEPTED) == 1);
            Receiver.Received r = List.copyOf(rx.received).stream()
                    .filter(x -> x.body().contains("\"type\":\"" + EventTypes.RECORD_ACCEPTED + "\"")).findFirst().orElseThrow();
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
            double retrying = attempts("retrying");
            double failed = attempts("failed");
            given().header("Authorization", "Bearer " + t.key()).post("/v1/webhooks/" + id + "/test").then().statusCode(202);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    get(t, "/v1/webhooks/" + id + "/messages?state=failed").path("data").size() == 1);
            assertEquals(4, rx.received.size());
            // What an operator's dashboard sees of it: three attempts scheduled again, then the message failed.
            assertTrue(attempts("retrying") - retrying >= 3, "tracemark_webhooks_attempts_total{outcome=retrying}");
            assertTrue(attempts("failed") - failed >= 1, "tracemark_webhooks_attempts_total{outcome=failed}");
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

    /** The scraped {@code tracemark_webhooks_attempts_total} of one outcome. */
    private static double attempts(String outcome) {
        String prefix = "tracemark_webhooks_attempts_total{outcome=\"" + outcome + "\"";
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
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
                // Due at once (first attempt at 0 s), yet nothing is sent while the delivery worker is stopped.
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(rx.received::isEmpty);
            } finally {
                worker.resume();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> rx.received.size() == 1);
        }
    }

    @Test
    void anEventDueWhileStoppedIsSentAfterRestartWithItsBodyReadBackFromTheEventStore() throws Exception {
        Tenant t = tenant();
        try (Receiver rx = new Receiver()) {
            String subId = create(t, rx.url("/hook"), "[\"record.accepted\"]").path("id").asText();
            worker.pause();
            AnchorRequest r;
            try {
                r = accept(t);
                // Not attempted while stopped: after first-attempt-wait the message is written pending, so its event is let go.
                await().atMost(Duration.ofSeconds(30)).until(() -> mongo.getDatabase(database).getCollection("webhook_messages")
                        .find(new Document("subscriptionId", subId)).first() != null);
            } finally {
                worker.resume();
            }
            Document stored = mongo.getDatabase(database).getCollection("webhook_messages")
                    .find(new Document("subscriptionId", subId)).first();
            assertEquals(null, stored.get("body"), "the event store keeps the body, the message its position");
            assertEquals("tracemark.events", stored.get("eventAt", Document.class).getString("topic"));
            await().atMost(Duration.ofSeconds(30)).until(() -> rx.received.size() == 1);
            JsonNode body = JSON.readTree(rx.received.get(0).body());
            assertEquals(Event.idOf(EventTypes.RECORD_ACCEPTED, r.recordId()), body.path("id").asText());
            assertEquals(r.digest(), body.path("data").path("digest").asText());
            assertEquals(stored.getString("_id"), rx.received.get(0).header("webhook-id"));
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

    @Test
    void aSubscriptionCreatedJustBeforeARecordIsAcceptedReceivesItsAcceptedAndAnchoredEvents() throws Exception {
        Tenant t = tenant();
        try (Receiver rx = new Receiver()) {
            String secret = create(t, rx.url("/hook"), "[\"record.*\"]").path("secret").asText();
            AnchorRequest r = accept(t);
            await().atMost(Duration.ofSeconds(60)).until(() -> rx.received.size() >= 2);
            Map<String, JsonNode> byType = new HashMap<>();
            Set<String> webhookIds = new HashSet<>();
            for (Receiver.Received got : List.copyOf(rx.received)) {
                new Webhook(secret).verify(got.body(), got.headers());
                JsonNode body = JSON.readTree(got.body());
                assertEquals(r.recordId(), body.path("data").path("recordId").asText());
                byType.put(body.path("type").asText(), body);
                webhookIds.add(got.header("webhook-id"));
            }
            assertEquals(Set.of(EventTypes.RECORD_ACCEPTED, EventTypes.RECORD_ANCHORED), byType.keySet());
            assertEquals(2, webhookIds.size(), "one message per event");
            assertEquals(Event.idOf(EventTypes.RECORD_ACCEPTED, r.recordId()), byType.get(EventTypes.RECORD_ACCEPTED).path("id").asText());
            assertEquals(Event.idOf(EventTypes.RECORD_ANCHORED, r.recordId()), byType.get(EventTypes.RECORD_ANCHORED).path("id").asText());
            assertTrue(byType.get(EventTypes.RECORD_ANCHORED).path("data").path("receipt").isObject(), "the anchored event carries its receipt");
        }
    }

    @Test
    void anchoredEventOfARecordNamingSeveralGtinsReachesSubscriptionsFilteredOnAnyOfThem() throws Exception {
        String gtinA = "04006381333931";
        String gtinB = "09506000134352";
        Tenant t = tenant();
        try (Receiver rx = new Receiver()) {
            String onB = create(t, rx.url("/b"), "[\"record.anchored\"]", "[\"" + gtinB + "\"]").path("id").asText();
            String onA = create(t, rx.url("/a"), "[\"record.*\"]", "[\"" + gtinA + "\"]").path("id").asText();
            String onOther = create(t, rx.url("/other"), "[\"record.*\"]", "[\"00012345600012\"]").path("id").asText();
            // An EPCIS event naming two GTINs: ingest stores keys.gtin as a list.
            AnchorRequest r = Pipeline.storeRecord(mongo.getDatabase(database), t.id(), "epcis.event", Instant.now(),
                    new Document("gtin", List.of(gtinA, gtinB)).append("eventHashId", "ni:///sha-256;" + Pipeline.sha256(t.id())),
                    List.of(gtinA, gtinB), null);
            Pipeline.anchor(List.of(r));

            await().atMost(Duration.ofSeconds(60)).until(() -> received(rx, "/b", EventTypes.RECORD_ANCHORED) == 1
                    && received(rx, "/a", EventTypes.RECORD_ANCHORED) == 1 && received(rx, "/a", EventTypes.RECORD_ACCEPTED) == 1);
            Event anchored = Pipeline.anchored(List.of(r.recordId())).get(r.recordId());
            assertEquals(List.of(gtinA, gtinB), anchored.gtins(), "the anchored event names every GTIN of the record");
            assertEquals(1, get(t, "/v1/webhooks/" + onB + "/messages").path("data").size());
            assertEquals(2, get(t, "/v1/webhooks/" + onA + "/messages").path("data").size());
            // Fanned out with the others: a subscription on another GTIN got no message for it.
            assertEquals(0, get(t, "/v1/webhooks/" + onOther + "/messages").path("data").size());
        }
    }

    @Test
    void aThirteenDigitGtinFilterIsKeptAsGtin14AndReceivesTheBatchsAcceptedAndAnchoredEvents() throws Exception {
        Tenant t = tenant();
        try (Receiver rx = new Receiver()) {
            JsonNode sub = create(t, rx.url("/ean13"), "[\"record.*\"]", "[\"4006381333931\", \"04006381333931\"]");
            assertEquals(List.of("04006381333931"), List.of(JSON.treeToValue(sub.path("gtins"), String[].class)),
                    "stored in the 14-digit form events carry, once");
            String onOther = create(t, rx.url("/other"), "[\"record.*\"]", "[\"96385074\"]").path("id").asText();
            AnchorRequest batch = Pipeline.storeProductBatch(mongo.getDatabase(database), t.id(), "04006381333931");
            Pipeline.anchor(List.of(batch));

            await().atMost(Duration.ofSeconds(60)).until(() -> received(rx, "/ean13", EventTypes.RECORD_ACCEPTED) == 1
                    && received(rx, "/ean13", EventTypes.RECORD_ANCHORED) == 1);
            assertEquals(0, get(t, "/v1/webhooks/" + onOther + "/messages").path("data").size());
            assertEquals("00000096385074", get(t, "/v1/webhooks/" + onOther).path("gtins").get(0).asText());
        }
    }

    @Test
    void aWorkFilterReceivesTheWorksAcceptedAndAnchoredEventsAndNothingOfAnotherWork() throws Exception {
        Tenant t = tenant();
        String sha = Pipeline.sha256("work-filter-" + t.id());
        try (Receiver rx = new Receiver()) {
            String body = "{\"url\":\"" + rx.url("/work") + "\",\"eventTypes\":[\"record.*\"],\"works\":[\"" + sha + "\"]}";
            String onWork = JSON.readTree(given().header("Authorization", "Bearer " + t.key()).contentType("application/json")
                    .body(body).post("/v1/webhooks").then().statusCode(201).extract().asString()).path("id").asText();
            AnchorRequest work = Pipeline.storeWork(mongo.getDatabase(database), t.id(), Instant.now(), sha, 0x0123456789abcdefL);
            AnchorRequest other = Pipeline.storeWork(mongo.getDatabase(database), t.id(), Instant.now(),
                    Pipeline.sha256("another-work-" + t.id()), 0x7edcba9876543210L);
            Pipeline.anchor(List.of(work, other));

            await().atMost(Duration.ofSeconds(60)).until(() -> received(rx, "/work", EventTypes.RECORD_ACCEPTED) == 1
                    && received(rx, "/work", EventTypes.RECORD_ANCHORED) == 1);
            assertEquals(sha, Pipeline.anchored(List.of(work.recordId())).get(work.recordId()).work(),
                    "the anchored event names the work it is about");
            await().atMost(Duration.ofSeconds(60)).until(() -> Pipeline.anchored(List.of(other.recordId())).containsKey(other.recordId()));
            JsonNode messages = get(t, "/v1/webhooks/" + onWork + "/messages").path("data");
            assertEquals(2, messages.size(), "the work's two events, none of the other work: " + messages);
        }
    }

    @Test
    void refusesAGtinFilterThatIsNoGtinWithTheReasonPerEntry() throws Exception {
        Tenant t = tenant();
        try (Receiver rx = new Receiver()) {
            JsonNode problem = JSON.readTree(given().header("Authorization", "Bearer " + t.key()).contentType("application/json")
                    .body("{\"url\":\"" + rx.url("/hook") + "\",\"gtins\":[\"04006381333931\",\"4006381333932\",\"12345\"]}")
                    .post("/v1/webhooks").then().statusCode(400).contentType("application/problem+json").extract().asString());
            assertEquals("https://tracemark.dev/problems/validation", problem.path("type").asText());
            assertEquals(2, problem.path("errors").size(), problem.toString());
            assertEquals("/gtins/1", problem.path("errors").get(0).path("pointer").asText());
            assertEquals("gtin.check-digit", problem.path("errors").get(0).path("code").asText());
            assertEquals("/gtins/2", problem.path("errors").get(1).path("pointer").asText());
            assertEquals("gtin.length", problem.path("errors").get(1).path("code").asText());
            assertEquals(0, get(t, "/v1/webhooks").path("data").size(), "nothing was created");
        }
    }

    @Test
    void anErasedRecordsAnchoredEventIsPulledAndReplayedWithoutItsContentAndAnEventAfterErasureIsSentWithoutIt() throws Exception {
        Tenant t = tenant();
        var db = mongo.getDatabase(database);
        try (Receiver rx = new Receiver()) {
            String sub = create(t, rx.url("/hook"), "[\"record.anchored\"]").path("id").asText();
            AnchorRequest r = Pipeline.storeProductBatch(db, t.id(), "04006381333931");
            Pipeline.anchor(List.of(r));
            await().atMost(Duration.ofSeconds(60)).until(() -> received(rx, "/hook", EventTypes.RECORD_ANCHORED) == 1);
            String salt = db.getCollection("records").find(new Document("_id", r.recordId())).first().getString("salt");
            assertTrue(rx.received.get(0).body().contains(salt), "before erasure the receipt carries the content");

            // Erased as ingest erases: text and salt gone, a tombstone in their place.
            db.getCollection("records").updateOne(new Document("_id", r.recordId()), new Document("$unset",
                    new Document("salt", "").append("canonical", "")).append("$set", new Document("erasedAt", new Date())));
            JsonNode pulled = JSON.readTree(given().header("Authorization", "Bearer " + t.key())
                    .queryParam("types", "record.anchored").get("/v1/events").then().statusCode(200).extract().asString());
            JsonNode event = pulled.path("events").get(0);
            assertEquals(r.recordId(), event.path("data").path("recordId").asText());
            assertTrue(event.path("data").path("contentErased").asBoolean(), event.toString());
            assertTrue(event.path("data").path("receipt").path("record").path("canonical").isMissingNode());
            assertEquals(r.digest(), event.path("data").path("receipt").path("record").path("digest").asText());
            assertFalse(pulled.toString().contains(salt));

            String msg = get(t, "/v1/webhooks/" + sub + "/messages").path("data").get(0).path("id").asText();
            given().header("Authorization", "Bearer " + t.key()).post("/v1/webhooks/" + sub + "/messages/" + msg + "/replay")
                    .then().statusCode(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> rx.received.size() == 2);
            assertFalse(rx.received.get(1).body().contains(salt), "a replay reads the event back without the erased content");
            assertTrue(JSON.readTree(rx.received.get(1).body()).path("data").path("contentErased").asBoolean());

            // Erased while its content still waited in attest's memory for the receipt: delivered without it.
            AnchorRequest sealed = Pipeline.sealedRecord(t.id(), "product.batch", Instant.now(),
                    new Document("gtin", "04006381333931").append("lot", "L2"), List.of("04006381333931"), null);
            db.getCollection("records").insertOne(new Document("_id", sealed.recordId()).append("tenant", t.id())
                    .append("type", "product.batch").append("receivedAt", Date.from(sealed.acceptedAt()))
                    .append("digest", sealed.digest()).append("status", "accepted").append("erasedAt", new Date())
                    .append("keys", new Document("gtin", "04006381333931").append("lot", "L2")));
            Pipeline.anchor(List.of(sealed));
            await().atMost(Duration.ofSeconds(60)).until(() -> rx.received.size() == 3);
            assertFalse(rx.received.get(2).body().contains(sealed.content().salt()), rx.received.get(2).body());
            assertFalse(rx.received.get(2).body().contains("\"canonical\""));
        }
    }

    @Test
    void messagesDeliveredAtOnceAreLoggedInBulkAndStillListedShownAndReplayable() throws Exception {
        Tenant t = tenant();
        try (Receiver rx = new Receiver()) {
            String id = create(t, rx.url("/hook"), "[\"record.accepted\"]").path("id").asText();
            List<AnchorRequest> five = java.util.stream.IntStream.range(0, 5).mapToObj(i -> Pipeline.request(t.id())).toList();
            Pipeline.anchor(five);
            await().atMost(Duration.ofSeconds(30)).until(() -> get(t, "/v1/webhooks/" + id + "/messages").path("data").size() == 5);
            var db = mongo.getDatabase(database);
            assertEquals(0, db.getCollection("webhook_messages").countDocuments(new Document("subscriptionId", id)),
                    "a delivery that needed no retry has no document of its own");
            long logDocs = db.getCollection("webhook_deliveries").countDocuments(new Document("subscriptionId", id));
            assertTrue(logDocs >= 1 && logDocs < 5, "deliveries are logged several to a document: " + logDocs);

            JsonNode listed = get(t, "/v1/webhooks/" + id + "/messages?state=delivered").path("data");
            assertEquals(5, listed.size());
            String msg = listed.get(0).path("id").asText();
            assertEquals(1, listed.get(0).path("attempts").asInt());
            assertEquals(200, listed.get(0).path("lastStatus").asInt());
            assertEquals(0, get(t, "/v1/webhooks/" + id + "/messages?state=failed").path("data").size());
            JsonNode attempts = get(t, "/v1/webhooks/" + id + "/messages/" + msg + "/attempts").path("data");
            assertEquals(1, attempts.size());
            assertEquals(200, attempts.get(0).path("status").asInt());

            given().header("Authorization", "Bearer " + t.key()).post("/v1/webhooks/" + id + "/messages/" + msg + "/replay")
                    .then().statusCode(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> rx.received.size() == 6);
            assertEquals(msg, rx.received.get(5).header("webhook-id"), "a replay keeps the webhook-id");
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    get(t, "/v1/webhooks/" + id + "/messages/" + msg + "/attempts").path("data").size() == 2);
            assertEquals(5, get(t, "/v1/webhooks/" + id + "/messages").path("data").size(), "the replayed message is listed once");
            Tenant other = tenant();
            given().header("Authorization", "Bearer " + other.key()).get("/v1/webhooks/" + id + "/messages/" + msg + "/attempts")
                    .then().statusCode(404);
        }
    }

    private static long received(Receiver rx, String path, String type) {
        return List.copyOf(rx.received).stream().filter(x -> path.equals(x.path()))
                .filter(x -> {
                    try {
                        return type.equals(JSON.readTree(x.body()).path("type").asText());
                    } catch (Exception e) {
                        return false;
                    }
                }).count();
    }
}
