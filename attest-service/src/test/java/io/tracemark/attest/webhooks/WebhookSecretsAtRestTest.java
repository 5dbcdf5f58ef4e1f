package io.tracemark.attest.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.standardwebhooks.Webhook;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.attest.AttestTestResource;
import io.tracemark.attest.Receiver;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signing secrets are sealed in MongoDB, still sign, and cannot be moved between subscriptions. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(AttestTestResource.class)
class WebhookSecretsAtRestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @Inject
    ApiKeyStore keys;
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    private record Tenant(String id, String key) {
    }

    private Tenant tenant() {
        String id = "whs-" + UUID.randomUUID().toString().substring(0, 8);
        return new Tenant(id, keys.issue(id, Set.of(Role.READ, Role.WRITE)).apiKey());
    }

    private MongoCollection<Document> subscriptions() {
        return mongo.getDatabase(database).getCollection("webhook_subscriptions");
    }

    private Document raw(String id) {
        return subscriptions().find(Filters.eq("_id", id)).first();
    }

    private JsonNode create(Tenant t, String url) throws Exception {
        return JSON.readTree(given().header("Authorization", "Bearer " + t.key()).contentType("application/json")
                .body("{\"url\":\"" + url + "\",\"eventTypes\":[\"webhook.test\"]}").post("/v1/webhooks").then().statusCode(201)
                .extract().asString());
    }

    private String rotate(Tenant t, String id) throws Exception {
        return JSON.readTree(given().header("Authorization", "Bearer " + t.key()).contentType("application/json")
                .body("{\"overlap\":\"PT1H\"}").post("/v1/webhooks/" + id + "/rotate-secret").then().statusCode(200)
                .extract().asString()).path("secret").asText();
    }

    private static String sendTest(Tenant t, String id) throws Exception {
        return JSON.readTree(given().header("Authorization", "Bearer " + t.key()).post("/v1/webhooks/" + id + "/test")
                .then().statusCode(202).extract().asString()).path("messageId").asText();
    }

    private static Receiver.Received awaitMessage(Receiver rx, String msgId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> rx.received.stream().anyMatch(r -> msgId.equals(r.header("webhook-id"))));
        return rx.received.stream().filter(r -> msgId.equals(r.header("webhook-id"))).findFirst().orElseThrow();
    }

    /** Asserts the stored document holds neither secret nor its key bytes, and every value is sealed. */
    private void assertSealed(String id, String... plain) {
        Document d = raw(id);
        String json = d.toJson();
        for (String s : plain) {
            assertFalse(json.contains(s), "stored document holds the secret");
            assertFalse(json.contains(s.substring(WebhookSigning.PREFIX.length())), "stored document holds the secret's key bytes");
        }
        List<Document> secrets = d.getList("secrets", Document.class);
        assertEquals(plain.length, secrets.size());
        for (Document s : secrets) {
            assertTrue(s.getString("value").matches("v1:insecure-dev:[A-Za-z0-9_-]+"), s.getString("value"));
        }
    }

    @Test
    void storedDocumentNeverHoldsTheSecretAfterCreateOrRotateAndSignaturesStillVerify() throws Exception {
        Tenant t = tenant();
        try (Receiver rx = new Receiver()) {
            JsonNode sub = create(t, rx.url("/hook"));
            String id = sub.path("id").asText();
            String first = sub.path("secret").asText();
            assertSealed(id, first);
            Receiver.Received r = awaitMessage(rx, sendTest(t, id));
            new Webhook(first).verify(r.body(), r.headers());

            String second = rotate(t, id);
            assertSealed(id, second, first);
            r = awaitMessage(rx, sendTest(t, id));
            assertEquals(2, r.header("webhook-signature").split(" ").length);
            new Webhook(first).verify(r.body(), r.headers());
            new Webhook(second).verify(r.body(), r.headers());
        }
    }

    @Test
    void legacyPlainTextSecretsStillSignAndAreSealedWhenFirstRead() throws Exception {
        Tenant t = tenant();
        try (Receiver rx = new Receiver()) {
            String id = "ep_" + UUID.randomUUID().toString().replace("-", "");
            String current = WebhookSigning.newSecret();
            String previous = WebhookSigning.newSecret();
            Date now = new Date();
            // The document as written before secrets were encrypted.
            subscriptions().insertOne(new Document("_id", id).append("tenant", t.id()).append("url", rx.url("/hook"))
                    .append("eventTypes", List.of("webhook.test")).append("gtins", List.of()).append("works", List.of())
                    .append("enabled", true).append("description", null)
                    .append("secrets", List.of(
                            new Document("value", current).append("createdAt", now).append("expiresAt", null),
                            new Document("value", previous).append("createdAt", now)
                                    .append("expiresAt", Date.from(Instant.now().plus(Duration.ofHours(1))))))
                    .append("createdAt", now).append("updatedAt", now));
            assertTrue(raw(id).toJson().contains(current));

            Receiver.Received r = awaitMessage(rx, sendTest(t, id));
            assertEquals(2, r.header("webhook-signature").split(" ").length);
            new Webhook(current).verify(r.body(), r.headers());
            new Webhook(previous).verify(r.body(), r.headers());
            assertSealed(id, current, previous);
            assertEquals(now, raw(id).getDate("updatedAt"), "re-sealing is not a change of the subscription");
        }
    }

    @Test
    void sealedSecretCopiedToAnotherSubscriptionDoesNotSign() throws Exception {
        Tenant t = tenant();
        try (Receiver rx = new Receiver()) {
            String donor = create(t, rx.url("/donor")).path("id").asText();
            String victim = create(t, rx.url("/victim")).path("id").asText();
            String stolen = raw(donor).getList("secrets", Document.class).get(0).getString("value");
            subscriptions().updateOne(Filters.eq("_id", victim), Updates.set("secrets.0.value", stolen));

            String msgId = sendTest(t, victim);
            await().atMost(Duration.ofSeconds(30)).until(() -> attempts(t, victim, msgId).size() > 0);
            JsonNode first = attempts(t, victim, msgId).get(0);
            assertEquals("secret.authentication-failed: signing secret unavailable (server key configuration)",
                    first.path("error").asText());
            assertEquals(0, first.path("status").asInt());
            assertTrue(rx.received.isEmpty(), "nothing is sent unsigned or signed with another endpoint's secret");
        }
    }

    private static JsonNode attempts(Tenant t, String id, String msgId) throws Exception {
        return JSON.readTree(given().header("Authorization", "Bearer " + t.key())
                .get("/v1/webhooks/" + id + "/messages/" + msgId + "/attempts").then().extract().asString()).path("data");
    }
}
