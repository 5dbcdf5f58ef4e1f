package io.tracemark.verify.api;

import com.mongodb.client.MongoClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.testsupport.api.SwaggerUi;
import io.tracemark.verify.fixtures.LoopbackChainNode;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import io.tracemark.verify.fixtures.Registry;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An integrator in Swagger UI: after Authorize, Try it out on a public lookup finds an anchored registration. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class VerifySwaggerUiTest {
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;
    @TestHTTPResource("/")
    URL base;

    @Test
    void authorizeThenTryItOutFindsARegistrationBySha256() {
        Registry registry = new Registry(mongo, database, LoopbackChainNode.shared());
        String sha = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
        Registry.Stored r = registry.register("alice", "media.work", Map.of("sha256", sha, "title", "Swagger"),
                new Document("sha256", sha), Instant.now());
        registry.anchor(r, Instant.now());
        try (SwaggerUi ui = SwaggerUi.open(base)) {
            ui.authorize("tmk_swaggerui000_" + "x".repeat(43));
            assertEquals(200, ui.tryItOut("records", "findRegistrationsBySha256", Map.of("sha256", sha)));
            assertTrue(ui.responseBody("records", "findRegistrationsBySha256").contains(r.id()),
                    ui.responseBody("records", "findRegistrationsBySha256"));
            ui.screenshot("verify-swagger-ui.png");
        }
    }
}
