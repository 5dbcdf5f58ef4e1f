package io.tracemark.ingest.anchor;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.KafkaTestClient;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A caller's W3C trace follows its record from the HTTP request onto the anchor request on Kafka. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class TraceContextTest {
    @Inject
    ApiKeyStore keys;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void anchorRequestCarriesTheTraceOfTheRequestThatRegisteredTheRecord() {
        String apiKey = keys.issue("trace-" + UUID.randomUUID().toString().substring(0, 8),
                EnumSet.of(Role.READ, Role.WRITE)).apiKey();
        String traceId = HexFormat.of().formatHex(UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String id = given().header("Authorization", "Bearer " + apiKey).header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .contentType(ContentType.JSON).body("{\"gtin\":\"96385074\",\"lot\":\"T-1\"}")
                .post("/v1/products/batches").then().statusCode(201).extract().path("id");
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            ConsumerRecord<String, byte[]> r = kafka.consume("tracemark.anchor-requests", 1, Duration.ofSeconds(30),
                    rec -> id.equals(rec.key())).get(0);
            String traceparent = KafkaTestClient.header(r, "traceparent");
            assertNotNull(traceparent, "no traceparent header on the anchor request");
            assertTrue(traceparent.matches("00-" + traceId + "-[0-9a-f]{16}-01"), traceparent);
        }
    }
}
