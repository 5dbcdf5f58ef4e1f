package io.tracemark.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class ProductBatchIntakeTest {
    @Inject
    ApiKeyStore keys;
    String apiKey;

    @BeforeEach
    void tenant() {
        apiKey = keys.issue("acme", EnumSet.of(Role.READ, Role.WRITE)).apiKey();
    }

    /** A lot of its own per test: a tenant registers a GTIN and lot once, and these tests share the tenant. */
    private final String BATCH = """
            {"gtin":"4006381333931","lot":"LOT-%s","quantity":1200,"unit":"H87",
             "productionDate":"2026-11-01","expiryDate":"2027-11-01","facilityGln":"4012345000009","origin":"DE"}
            """.formatted(UUID.randomUUID().toString().substring(0, 8));

    @Test
    void storesBatchWithGtinPaddedAndDigestOfCanonicalEnvelope() throws Exception {
        Response r = given().header("Authorization", "Bearer " + apiKey).contentType(ContentType.JSON).body(BATCH)
                .post("/v1/products/batches");
        r.then().statusCode(201)
                .body("id", matchesPattern("[0-9A-Z]{26}"))
                .body("digest", matchesPattern("[0-9a-f]{64}"))
                .body("status", equalTo("accepted"));
        String id = r.path("id");
        Response stored = given().header("Authorization", "Bearer " + apiKey).get("/v1/records/" + id);
        stored.then().statusCode(200);
        String canonical = stored.path("canonical");
        assertTrue(canonical.contains("\"gtin\":\"04006381333931\""), canonical);
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        assertEquals(r.path("digest"), digest);
    }

    @Test
    void rejectsBatchWithBadGtinCheckDigit() {
        given().header("Authorization", "Bearer " + apiKey).contentType(ContentType.JSON)
                .body(BATCH.replace("4006381333931", "4006381333932"))
                .post("/v1/products/batches")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://tracemark.dev/problems/validation"))
                .body("errors.pointer", hasItem("/payload/gtin"))
                .body("errors.code", hasItem("gtin.check-digit"));
    }

    @Test
    void retryWithSameIdempotencyKeyReturnsTheSameRecordAndDifferentBodyConflicts() {
        String key = UUID.randomUUID().toString();
        String first = given().header("Authorization", "Bearer " + apiKey).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(BATCH).post("/v1/products/batches")
                .then().statusCode(201).extract().path("id");
        given().header("Authorization", "Bearer " + apiKey).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(BATCH).post("/v1/products/batches")
                .then().statusCode(200).body("id", equalTo(first));
        given().header("Authorization", "Bearer " + apiKey).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(BATCH.replace("1200", "1300")).post("/v1/products/batches")
                .then().statusCode(409).body("type", equalTo("https://tracemark.dev/problems/idempotency-conflict"));
    }

    @Test
    void refusesWritesWithoutAValidApiKey() {
        given().contentType(ContentType.JSON).body(BATCH).post("/v1/products/batches")
                .then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer tmk_aaaaaaaaaaaa_" + "A".repeat(43))
                .contentType(ContentType.JSON).body(BATCH).post("/v1/products/batches")
                .then().statusCode(401);
    }

    @Test
    void readOnlyKeyCannotWrite() {
        String readOnly = keys.issue("acme", EnumSet.of(Role.READ)).apiKey();
        given().header("Authorization", "Bearer " + readOnly).contentType(ContentType.JSON).body(BATCH)
                .post("/v1/products/batches")
                .then().statusCode(403).body("type", equalTo("https://tracemark.dev/problems/forbidden"));
    }

    @Test
    void tenantCannotReadAnotherTenantsRecord() {
        String id = given().header("Authorization", "Bearer " + apiKey).contentType(ContentType.JSON).body(BATCH)
                .post("/v1/products/batches").then().statusCode(201).extract().path("id");
        String other = keys.issue("globex", EnumSet.of(Role.READ, Role.WRITE)).apiKey();
        given().header("Authorization", "Bearer " + other).get("/v1/records/" + id).then().statusCode(404);
    }
}
