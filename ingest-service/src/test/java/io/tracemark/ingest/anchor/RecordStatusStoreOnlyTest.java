package io.tracemark.ingest.anchor;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;

/** Without a chain node (none runs in these tests) a record's status is the stored one, and says so. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class RecordStatusStoreOnlyTest {
    @Inject
    ApiKeyStore keys;

    @Test
    void unreachableChainNodeGivesTheStoredStatusPromptly() {
        String apiKey = keys.issue("store-only-" + UUID.randomUUID().toString().substring(0, 8),
                EnumSet.of(Role.READ, Role.WRITE)).apiKey();
        String id = given().header("Authorization", "Bearer " + apiKey).contentType(ContentType.JSON)
                .body("{\"gtin\":\"4006381333931\",\"lot\":\"SO-1\"}").post("/v1/products/batches")
                .then().statusCode(201).extract().path("id");
        given().header("Authorization", "Bearer " + apiKey).get("/v1/records/" + id).then().statusCode(200)
                .time(lessThan(5_000L))
                .body("status", equalTo("accepted")).body("statusSource", equalTo("store-only"))
                .body("$", hasKey("anchoring")).body("anchoring", nullValue());
    }
}
