package io.tracemark.ingest.access;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may do what: keys stored hashed, scoped to one tenant and role, revocable within the cache
 * lifetime; tenants isolated from each other; admin operations only with the operator key, which
 * is no tenant; and no key text ever in the log.
 */
@QuarkusTest
@TestProfile(AccessControlProfile.class)
@QuarkusTestResource(TracemarkInfraResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessControlTest {
    private static final String BATCH = "{\"gtin\":\"4006381333931\",\"lot\":\"%s\"}";
    /** Every key text this test issued or presented; none may ever be logged. */
    private static final List<String> SECRETS = new ArrayList<>(List.of(AccessControlProfile.ADMIN_KEY));

    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    private record Issued(String keyId, String apiKey) {
    }

    private static Issued issue(String tenant, String... roles) {
        Response r = given().header("Authorization", "Bearer " + AccessControlProfile.ADMIN_KEY)
                .contentType("application/json").body(Map.of("roles", List.of(roles)))
                .post("/v1/admin/tenants/" + tenant + "/api-keys");
        r.then().statusCode(201).body("tenant", equalTo(tenant));
        Issued k = new Issued(r.path("keyId"), r.path("apiKey"));
        SECRETS.add(k.apiKey());
        SECRETS.add(secretOf(k.apiKey()));
        return k;
    }

    /** The secret part of {@code tmk_<12-char id>_<secret>}; the secret itself may contain '_'. */
    private static String secretOf(String apiKey) {
        return apiKey.substring("tmk_".length() + 13);
    }

    private static Response postBatch(String apiKey, String lot) {
        return given().header("Authorization", "Bearer " + apiKey).contentType("application/json")
                .body(String.format(BATCH, lot)).post("/v1/products/batches");
    }

    private static void assertProblem(Response r, int status, String type) {
        r.then().statusCode(status).contentType("application/problem+json")
                .body("type", equalTo("https://tracemark.dev/problems/" + type));
    }

    @Test
    @Order(1)
    void issuedKeysAreStoredOnlyAsTheirHash() {
        Issued k = issue("tenant-a", "read", "write");
        Document row = mongo.getDatabase(database).getCollection("api_keys").find(Filters.eq("_id", k.keyId())).first();
        String secret = secretOf(k.apiKey());
        assertEquals(AccessControlProfile.sha256(k.apiKey()), row.getString("hash"));
        for (Document d : mongo.getDatabase(database).getCollection("api_keys").find()) {
            String all = d.toJson();
            assertFalse(all.contains(k.apiKey()) || all.contains(secret), "plaintext key stored: " + all);
        }
    }

    @Test
    @Order(2)
    void keysCarryOnlyTheirRoles() {
        Issued reader = issue("tenant-a", "read");
        Issued writer = issue("tenant-a", "write");
        assertProblem(postBatch(reader.apiKey(), "RO-1"), 403, "forbidden");
        String id = postBatch(writer.apiKey(), "RW-1").then().statusCode(201).extract().path("id");
        given().header("Authorization", "Bearer " + reader.apiKey()).get("/v1/records/" + id).then().statusCode(200);
        given().header("Authorization", "Bearer " + writer.apiKey()).get("/v1/records/" + id).then().statusCode(200);
        given().header("Authorization", "Bearer " + AccessControlProfile.ADMIN_KEY).contentType("application/json")
                .body(Map.of("roles", List.of("admin"))).post("/v1/admin/tenants/tenant-a/api-keys")
                .then().statusCode(422).body("errors[0].code", equalTo("role.unknown"));
    }

    @Test
    @Order(3)
    void revokedKeyIsRefusedAtOnceHereAndWithinTheCacheLifetimeElsewhere() {
        Issued k = issue("tenant-a", "write");
        postBatch(k.apiKey(), "REV-1").then().statusCode(201);
        given().header("Authorization", "Bearer " + AccessControlProfile.ADMIN_KEY)
                .delete("/v1/admin/tenants/tenant-a/api-keys/" + k.keyId()).then().statusCode(204);
        assertProblem(postBatch(k.apiKey(), "REV-2"), 401, "unauthenticated");

        // Another replica revoking writes the row; this one's cache (1 s here) must not outlive that.
        Issued other = issue("tenant-a", "write");
        postBatch(other.apiKey(), "REV-3").then().statusCode(201);
        mongo.getDatabase(database).getCollection("api_keys")
                .updateOne(Filters.eq("_id", other.keyId()), Updates.set("revoked", true));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> postBatch(other.apiKey(), "REV-4-" + UUID.randomUUID().toString().substring(0, 8))
                        .statusCode() == 401);
    }

    @Test
    @Order(4)
    void aKeyCanOnlyBeRevokedUnderItsOwnTenant() {
        Issued a = issue("tenant-a", "write");
        assertProblem(given().header("Authorization", "Bearer " + AccessControlProfile.ADMIN_KEY)
                .delete("/v1/admin/tenants/tenant-b/api-keys/" + a.keyId()), 404, "not-found");
        postBatch(a.apiKey(), "OWN-1").then().statusCode(201);
    }

    @Test
    @Order(5)
    void tenantsCannotReadEachOthersRecordsNorWriteUnderAnotherName() {
        Issued a = issue("tenant-a", "read", "write");
        Issued b = issue("tenant-b", "read", "write");
        String key = "iso-" + UUID.randomUUID();
        String id = given().header("Authorization", "Bearer " + a.apiKey()).header("Idempotency-Key", key)
                .contentType("application/json").body(String.format(BATCH, "ISO-A")).post("/v1/products/batches")
                .then().statusCode(201).extract().path("id");
        assertProblem(given().header("Authorization", "Bearer " + b.apiKey()).get("/v1/records/" + id), 404, "not-found");
        assertProblem(given().header("Authorization", "Bearer " + b.apiKey()).queryParam("idempotencyKey", key)
                .get("/v1/records"), 404, "not-found");
        assertProblem(given().header("Authorization", "Bearer " + b.apiKey())
                .get("/v1/products/batches/04006381333931/ISO-A/lineage"), 404, "not-found");
        String job = given().header("Authorization", "Bearer " + a.apiKey()).contentType("application/json")
                .body("{\"type\":\"EPCISDocument\",\"epcisBody\":{\"eventList\":[{\"type\":\"ObjectEvent\"}]}}")
                .post("/v1/epcis/capture").then().statusCode(202).extract().path("captureID");
        assertProblem(given().header("Authorization", "Bearer " + b.apiKey()).get("/v1/epcis/capture/" + job), 404, "not-found");

        // Naming tenant A in headers or the body does not make B's write A's.
        String spoofed = given().header("Authorization", "Bearer " + b.apiKey())
                .header("tracemark-tenant", "tenant-a").header("X-Tenant", "tenant-a")
                .contentType("application/json").body(String.format(BATCH, "SPOOF-1")).post("/v1/products/batches")
                .then().statusCode(201).extract().path("id");
        Document stored = mongo.getDatabase(database).getCollection("records").find(Filters.eq("_id", spoofed)).first();
        assertEquals("tenant-b", stored.getString("tenant"));
        assertTrue(stored.getString("canonical").contains("\"tenant\":\"tenant-b\""), stored.getString("canonical"));
        given().header("Authorization", "Bearer " + b.apiKey()).contentType("application/json")
                .body("{\"gtin\":\"4006381333931\",\"lot\":\"SPOOF-2\",\"tenant\":\"tenant-a\"}").post("/v1/products/batches")
                .then().statusCode(422).body("errors[0].code", equalTo("field.unknown"));
        assertEquals(0, mongo.getDatabase(database).getCollection("records")
                .countDocuments(Filters.and(Filters.eq("tenant", "tenant-a"), Filters.regex("canonical", "SPOOF"))));
    }

    @Test
    @Order(6)
    void adminOperationsNeedTheAdminKey() {
        Issued tenantKey = issue("tenant-a", "read", "write");
        String forged = "tmk_" + tenantKey.keyId() + "_" + "A".repeat(43);
        SECRETS.add(forged);
        String path = "/v1/admin/tenants/tenant-a/api-keys";
        assertProblem(given().contentType("application/json").body("{}").post(path), 401, "unauthenticated");
        assertProblem(given().header("Authorization", "Bearer " + tenantKey.apiKey()).contentType("application/json")
                .body("{}").post(path), 403, "forbidden");
        assertProblem(given().header("Authorization", "Bearer " + forged).contentType("application/json")
                .body("{}").post(path), 401, "unauthenticated");
        assertProblem(given().header("Authorization", "Bearer " + AccessControlProfile.ADMIN_KEY + "x")
                .contentType("application/json").body("{}").post(path), 401, "unauthenticated");
        assertProblem(given().header("Authorization", "Bearer " + tenantKey.apiKey())
                .delete(path + "/" + tenantKey.keyId()), 403, "forbidden");
        assertProblem(given().delete(path + "/" + tenantKey.keyId()), 401, "unauthenticated");
        postBatch(tenantKey.apiKey(), "ADM-1").then().statusCode(201);
    }

    @Test
    @Order(7)
    void theAdminKeyCannotActAsATenant() {
        assertProblem(postBatch(AccessControlProfile.ADMIN_KEY, "ADM-2"), 403, "forbidden");
        assertProblem(given().header("X-API-Key", AccessControlProfile.ADMIN_KEY).get("/v1/records/01ARZ3NDEKTSV4RRFFQ69G5FAV"),
                403, "forbidden");
    }

    @Test
    @Order(8)
    void noKeyTextEverReachesTheLog() throws Exception {
        Path log = Path.of(AccessControlProfile.LOG_FILE);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log)
                && Files.readString(log, StandardCharsets.UTF_8).contains("/v1/admin/tenants/tenant-a/api-keys"));
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(text.contains("api_keys"), "database commands should be in the log for this check to mean anything");
        for (String secret : SECRETS) {
            assertFalse(text.contains(secret), "a key text is in " + log);
        }
    }
}
