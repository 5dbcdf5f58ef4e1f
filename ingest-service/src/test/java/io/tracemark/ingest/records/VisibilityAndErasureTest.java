package io.tracemark.ingest.records;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A record's visibility as registered, and erasing its content: what the store keeps and what the tenant reads. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class VisibilityAndErasureTest {
    @Inject
    ApiKeyStore keys;
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    private Document stored(String id) {
        return mongo.getDatabase(database).getCollection("records").find(Filters.eq("_id", id)).first();
    }

    private static String batch(String lot) {
        return "{\"gtin\":\"4006381333931\",\"lot\":\"" + lot + "\",\"quantity\":3,\"unit\":\"H87\"}";
    }

    @Test
    void aRecordIsStoredWithTheVisibilityItAskedForOrItsTypesDefault() {
        String key = keys.issue("vis-" + UUID.randomUUID().toString().substring(0, 8), EnumSet.of(Role.READ, Role.WRITE)).apiKey();
        String open = given().header("Authorization", "Bearer " + key).contentType("application/json").body(batch("V-1"))
                .post("/v1/products/batches").then().statusCode(201).extract().path("id");
        String closed = given().header("Authorization", "Bearer " + key).contentType("application/json").body(batch("V-2"))
                .queryParam("visibility", "private").post("/v1/products/batches").then().statusCode(201).extract().path("id");
        assertEquals("public", stored(open).getString("visibility"), "product batches are public by default");
        assertEquals("private", stored(closed).getString("visibility"));
        given().header("Authorization", "Bearer " + key).get("/v1/records/" + closed).then().statusCode(200)
                .body("visibility", equalTo("private"));
        given().header("Authorization", "Bearer " + key).contentType("application/json").body(batch("V-3"))
                .queryParam("visibility", "secret").post("/v1/products/batches").then().statusCode(422)
                .body("errors[0].pointer", equalTo("/visibility")).body("errors[0].code", equalTo("visibility.invalid"));
    }

    @Test
    void erasingRemovesTextAndSaltKeepsDigestAndATombstoneAndOnlyTheRegistrantsWriteKeyMayDoIt() {
        String tenant = "erase-" + UUID.randomUUID().toString().substring(0, 8);
        ApiKeyStore.IssuedKey writer = keys.issue(tenant, EnumSet.of(Role.READ, Role.WRITE));
        String reader = keys.issue(tenant, EnumSet.of(Role.READ)).apiKey();
        String stranger = keys.issue("other-" + tenant, EnumSet.of(Role.READ, Role.WRITE)).apiKey();
        String id = given().header("Authorization", "Bearer " + writer.apiKey()).contentType("application/json")
                .body(batch("E-1")).post("/v1/products/batches").then().statusCode(201).extract().path("id");
        String digest = stored(id).getString("digest");

        given().header("Authorization", "Bearer " + reader).delete("/v1/records/" + id + "/content").then().statusCode(403);
        given().header("Authorization", "Bearer " + stranger).delete("/v1/records/" + id + "/content").then().statusCode(404);
        assertNotNull(stored(id).getString("canonical"), "refused erasures changed nothing");

        String erasedAt = given().header("Authorization", "Bearer " + writer.apiKey()).delete("/v1/records/" + id + "/content")
                .then().statusCode(200)
                .body("salt", nullValue()).body("canonical", nullValue()).body("digest", equalTo(digest))
                .body("erased.erasedBy", equalTo(writer.keyId()))
                .extract().path("erased.erasedAt");
        Document d = stored(id);
        assertFalse(d.containsKey("salt") || d.containsKey("canonical"), d.toJson());
        assertEquals(digest, d.getString("digest"));
        assertTrue(d.get("erasedAt") instanceof java.util.Date);
        given().header("Authorization", "Bearer " + writer.apiKey()).delete("/v1/records/" + id + "/content")
                .then().statusCode(200).body("erased.erasedAt", equalTo(erasedAt));
        given().header("Authorization", "Bearer " + reader).get("/v1/records/" + id).then().statusCode(200)
                .body("canonical", nullValue()).body("erased.erasedAt", equalTo(erasedAt));
    }
}
