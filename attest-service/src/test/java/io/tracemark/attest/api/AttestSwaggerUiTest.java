package io.tracemark.attest.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.attest.AttestTestResource;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.testsupport.api.SwaggerUi;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An integrator in Swagger UI: listing webhooks is refused until Authorize is given a tenant key, then answers 200. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(AttestTestResource.class)
class AttestSwaggerUiTest {
    @Inject
    ApiKeyStore keys;
    @TestHTTPResource("/")
    URL base;

    @Test
    void authorizeThenTryItOutListsTheTenantsWebhooks() {
        String apiKey = keys.issue("swagger-" + UUID.randomUUID().toString().substring(0, 8), EnumSet.of(Role.READ)).apiKey();
        try (SwaggerUi ui = SwaggerUi.open(base)) {
            assertEquals(401, ui.tryItOut("webhooks", "listWebhooks", Map.of()));
            ui.reload().authorize(apiKey);
            assertEquals(200, ui.tryItOut("webhooks", "listWebhooks", Map.of()));
            assertTrue(ui.responseBody("webhooks", "listWebhooks").contains("\"data\": []"), ui.responseBody("webhooks", "listWebhooks"));
            ui.screenshot("attest-swagger-ui.png");
        }
    }
}
