package io.tracemark.ingest.tenants;

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
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Where the operator lets other brands' GTINs through (the test profile's setting), they are stored and marked. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class UnownedGtinMarkTest {
    @Inject
    ApiKeyStore keys;
    @Inject
    TenantDirectory tenants;
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    @Test
    void aBatchOfAnotherBrandsGtinIsStoredMarkedWithTheGtinsItDoesNotOwn() {
        String id = "mark-" + UUID.randomUUID().toString().substring(0, 8);
        String key = keys.issue(id, EnumSet.of(Role.READ, Role.WRITE)).apiKey();
        tenants.declareCompanyPrefixes(id, List.of("4012345"));
        String unowned = given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body("{\"gtin\":\"4006381333931\",\"lot\":\"MK-1\"}").post("/v1/products/batches")
                .then().statusCode(201).extract().path("id");
        String owned = given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body("{\"gtin\":\"04012345000016\",\"lot\":\"MK-1\"}").post("/v1/products/batches")
                .then().statusCode(201).extract().path("id");
        var records = mongo.getDatabase(database).getCollection("records");
        Document k = records.find(Filters.eq("_id", unowned)).first().get("keys", Document.class);
        assertEquals(List.of("04006381333931"), k.getList("unownedGtins", String.class));
        assertNull(records.find(Filters.eq("_id", owned)).first().get("keys", Document.class).get("unownedGtins"));
    }
}
