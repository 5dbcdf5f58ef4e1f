package io.tracemark.ingest.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
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

/** An integrator in Swagger UI: Try it out is refused until Authorize is given a tenant key, then registers the example batch. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class IngestSwaggerUiTest {
    @Inject
    ApiKeyStore keys;
    @TestHTTPResource("/")
    URL base;

    @Test
    void authorizeThenTryItOutRegistersTheDocumentedExampleBatch() {
        String apiKey = keys.issue("swagger-" + UUID.randomUUID().toString().substring(0, 8), EnumSet.of(Role.READ, Role.WRITE)).apiKey();
        try (SwaggerUi ui = SwaggerUi.open(base)) {
            assertEquals(401, ui.tryItOut("products", "registerProductBatch", Map.of()));
            ui.reload().authorize(apiKey);
            assertEquals(201, ui.tryItOut("products", "registerProductBatch", Map.of()));
            assertTrue(ui.responseBody("products", "registerProductBatch").contains("\"status\": \"accepted\""),
                    ui.responseBody("products", "registerProductBatch"));
            ui.screenshot("ingest-swagger-ui.png");
        }
    }
}
