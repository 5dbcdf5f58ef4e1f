package io.tracemark.attest.api;

import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.tracemark.attest.AttestTestResource;
import io.tracemark.attest.Pipeline;
import io.tracemark.attest.Receiver;
import io.tracemark.client.attest.ApiClient;
import io.tracemark.client.attest.api.WebhooksApi;
import io.tracemark.client.attest.model.WebhookSubscription;
import io.tracemark.client.attest.model.WebhookSubscriptionInput;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.testsupport.api.PublishedSpec;
import io.tracemark.testsupport.api.Redocly;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * attest-service's published OpenAPI document is the contract: it lints clean, equals the committed
 * {@code docs/api/attest-service.openapi.json}, declares the bearer scheme its every operation needs, describes
 * every request and answer of the webhook and event flows (each call here is validated against it), and a client
 * generated from it subscribes an endpoint.
 */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(AttestTestResource.class)
class AttestApiContractTest {
    static final String SERVICE = "attest-service";

    @Inject
    ApiKeyStore keys;
    @TestHTTPResource("/")
    URL base;

    String tenant;
    String apiKey;
    PublishedSpec spec;
    OpenApiValidationFilter contract;

    @BeforeEach
    void tenantAndSpec() {
        tenant = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        apiKey = keys.issue(tenant, EnumSet.of(Role.READ, Role.WRITE)).apiKey();
        spec = PublishedSpec.of(SERVICE);
        contract = spec.validator();
    }

    private RequestSpecification asTenant() {
        return given().filter(contract).header("Authorization", "Bearer " + apiKey);
    }

    @Test
    void publishedSpecLintsWithoutErrorsAndIsTheCommittedContract() {
        Redocly.assertLintsWithoutErrors(spec.file());
        spec.assertCommittedContractIsCurrent();
        JsonNode doc = spec.json();
        assertEquals("bearer", doc.at("/components/securitySchemes/tenantApiKey/scheme").asText());
        doc.path("paths").forEach(path -> path.forEach(op -> {
            assertEquals("tenantApiKey", op.at("/security/0").fieldNames().next(), op.path("operationId").asText());
            assertTrue(op.path("responses").has("401"), op.path("operationId").asText() + " documents 401");
        }));
    }

    @Test
    void webhookLifecycleAnswersAsPublished() throws Exception {
        try (Receiver rx = new Receiver()) {
            String id = asTenant().contentType("application/json")
                    .body("{\"url\":\"" + rx.url("/hook") + "\",\"eventTypes\":[\"record.*\",\"webhook.test\"],\"description\":\"contract\"}")
                    .post("/v1/webhooks").then().statusCode(201).body("secret", startsWith("whsec_")).extract().path("id");
            asTenant().get("/v1/webhooks").then().statusCode(200).body("data[0].id", equalTo(id));
            asTenant().get("/v1/webhooks/" + id).then().statusCode(200).body("url", equalTo(rx.url("/hook")));
            asTenant().contentType("application/json").body("{\"description\":\"renamed\"}").patch("/v1/webhooks/" + id)
                    .then().statusCode(200).body("description", equalTo("renamed"));
            asTenant().contentType("application/json").body("{\"url\":\"ftp://nowhere\"}").post("/v1/webhooks")
                    .then().statusCode(400).body("type", equalTo("https://tracemark.dev/problems/validation"));
            String msg = asTenant().post("/v1/webhooks/" + id + "/test").then().statusCode(202).extract().path("messageId");
            await().atMost(Duration.ofSeconds(20)).until(() -> "delivered".equals(asTenant().get("/v1/webhooks/" + id + "/messages")
                    .then().statusCode(200).extract().path("data.find { it.id == '" + msg + "' }.state")));
            asTenant().get("/v1/webhooks/" + id + "/messages/" + msg + "/attempts").then().statusCode(200)
                    .body("data[0].status", equalTo(200));
            asTenant().post("/v1/webhooks/" + id + "/messages/" + msg + "/replay").then().statusCode(202);
            asTenant().contentType("application/json").body("{\"since\":\"2026-01-01T00:00:00Z\"}")
                    .post("/v1/webhooks/" + id + "/replay").then().statusCode(202).body("replayed", equalTo(0));
            asTenant().contentType("application/json").body("{\"overlap\":\"PT1H\"}").post("/v1/webhooks/" + id + "/rotate-secret")
                    .then().statusCode(200).body("secret", startsWith("whsec_"));
            asTenant().delete("/v1/webhooks/" + id).then().statusCode(204);
            asTenant().get("/v1/webhooks/" + id).then().statusCode(404);
        }
    }

    @Test
    void eventPagesAnswerAsPublished() {
        Pipeline.anchor(List.of(Pipeline.request(tenant)));
        String[] after = {null};
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            RequestSpecification page = asTenant().queryParam("types", "record.*").queryParam("limit", "10");
            if (after[0] != null) {
                page = page.queryParam("after", after[0]);
            }
            var answer = page.get("/v1/events").then().statusCode(200).extract();
            after[0] = answer.path("next");
            return !answer.<List<?>>path("events").isEmpty();
        });
        asTenant().queryParam("after", "not-a-cursor").get("/v1/events").then().statusCode(400);
    }

    @Test
    void unauthenticatedCallGetsThePublished401Problem() {
        given().filter(spec.responseValidator()).get("/v1/webhooks").then().statusCode(401)
                .body("type", equalTo("https://tracemark.dev/problems/unauthenticated"));
    }

    @Test
    void generatedClientSubscribesAnEndpoint() throws Exception {
        ApiClient client = new ApiClient();
        client.updateBaseUri(base.toString().replaceAll("/$", ""));
        client.setRequestInterceptor(r -> r.header("Authorization", "Bearer " + apiKey));
        try (Receiver rx = new Receiver()) {
            WebhooksApi webhooks = new WebhooksApi(client);
            WebhookSubscription created = webhooks.createWebhook(new WebhookSubscriptionInput().url(rx.url("/generated"))
                    .eventTypes(List.of("record.anchored")));
            assertTrue(created.getSecret().startsWith("whsec_"), created.getSecret());
            WebhookSubscription read = webhooks.getWebhook(created.getId());
            assertEquals(List.of("record.anchored"), read.getEventTypes());
            assertNull(read.getSecret(), "the secret is shown only at creation");
        }
    }
}
