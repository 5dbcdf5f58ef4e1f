package io.tracemark.ingest.product;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class LineageAndValidationTest {
    private static final String GTIN_A = "4006381333931";
    private static final String GTIN_B = "96385074";
    private static final String GTIN_C = "036000291452";
    @Inject
    ApiKeyStore keys;
    String apiKey;

    @BeforeEach
    void tenant() {
        apiKey = keys.issue("lineage-" + UUID.randomUUID().toString().substring(0, 8), EnumSet.of(Role.READ, Role.WRITE)).apiKey();
    }

    private RequestSpecification auth() {
        return given().header("Authorization", "Bearer " + apiKey);
    }

    private String batch(String gtin, String lot, String inputs) {
        return auth().contentType("application/json")
                .body("{\"gtin\":\"" + gtin + "\",\"lot\":\"" + lot + "\"" + (inputs == null ? "" : ",\"inputs\":" + inputs) + "}")
                .post("/v1/products/batches").then().statusCode(201).extract().path("id");
    }

    @Test
    void answersAncestorsAndDescendantsOfABatch() {
        String flour = batch(GTIN_A, "FLOUR-1", null);
        String dough = batch(GTIN_B, "DOUGH/7", "[{\"gtin\":\"" + GTIN_A + "\",\"lot\":\"FLOUR-1\"}]");
        String bread = batch(GTIN_C, "BREAD-9", "[{\"gtin\":\"" + GTIN_B + "\",\"lot\":\"DOUGH/7\"}]");
        auth().get("/v1/products/batches/" + GTIN_B + "/DOUGH/7/lineage").then().statusCode(200)
                .body("gtin", equalTo("00000096385074")).body("recordIds", contains(dough))
                .body("ancestors", hasSize(1)).body("ancestors[0].gtin", equalTo("04006381333931"))
                .body("ancestors[0].lot", equalTo("FLOUR-1")).body("ancestors[0].depth", equalTo(1))
                .body("ancestors[0].recordIds", contains(flour))
                .body("descendants", hasSize(1)).body("descendants[0].recordIds", contains(bread));
        auth().get("/v1/products/batches/" + GTIN_C + "/BREAD-9/lineage").then().statusCode(200)
                .body("ancestors.lot", containsInAnyOrder("DOUGH/7", "FLOUR-1"))
                .body("ancestors.depth", containsInAnyOrder(1, 2)).body("descendants", hasSize(0));
    }

    @Test
    void lineageOfAnUnknownOrInvalidBatchIsRefused() {
        auth().get("/v1/products/batches/" + GTIN_A + "/NOPE/lineage").then().statusCode(404);
        auth().get("/v1/products/batches/4006381333932/L1/lineage").then().statusCode(422)
                .body("errors.code", hasItem("gtin.check-digit"));
    }

    private void rejects(String body, String pointer, String code) {
        auth().contentType("application/json").body(body).post("/v1/products/batches").then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://tracemark.dev/problems/validation"))
                .body("errors.pointer", hasItem(pointer)).body("errors.code", hasItem(code));
    }

    @Test
    void rejectsEachInvalidBatchFieldWithItsCode() {
        String ok = "\"gtin\":\"" + GTIN_A + "\",\"lot\":\"L1\"";
        rejects("{\"gtin\":\"40063813339\",\"lot\":\"L1\"}", "/payload/gtin", "gtin.length");
        rejects("{\"gtin\":\"4006381333A31\",\"lot\":\"L1\"}", "/payload/gtin", "gtin.not-digits");
        rejects("{\"lot\":\"L1\"}", "/payload/gtin", "gtin.required");
        rejects("{\"gtin\":\"" + GTIN_A + "\",\"lot\":\"L 1\"}", "/payload/lot", "lot.invalid");
        rejects("{" + ok + ",\"quantity\":-5,\"unit\":\"KGM\"}", "/payload/quantity", "quantity.invalid");
        rejects("{" + ok + ",\"quantity\":5,\"unit\":\"kilos\"}", "/payload/unit", "unit.invalid");
        rejects("{" + ok + ",\"productionDate\":\"01.11.2026\"}", "/payload/productionDate", "date.invalid");
        rejects("{" + ok + ",\"productionDate\":\"2026-11-02\",\"expiryDate\":\"2026-11-01\"}", "/payload/expiryDate", "date.order");
        rejects("{" + ok + ",\"facilityGln\":\"4012345000008\"}", "/payload/facilityGln", "gln.invalid");
        rejects("{" + ok + ",\"origin\":\"Germany\"}", "/payload/origin", "origin.invalid");
        rejects("{" + ok + ",\"colour\":\"red\"}", "/payload/colour", "field.unknown");
        rejects("{" + ok + ",\"inputs\":[{\"gtin\":\"4006381333932\",\"lot\":\"X\"}]}", "/payload/inputs/0/gtin", "gtin.check-digit");
        rejects("{" + ok + ",\"certificates\":[{\"name\":\"organic\",\"sha256\":\"xyz\"}]}", "/payload/certificates/0/sha256", "digest.invalid");
    }

    @Test
    void rejectsMalformedOrOversizedBodies() {
        auth().contentType("application/json").body("{\"gtin\":").post("/v1/products/batches").then().statusCode(400)
                .body("type", equalTo("https://tracemark.dev/problems/malformed-json"));
        auth().contentType("application/json").body("{\"gtin\":\"1\",\"gtin\":\"2\"}").post("/v1/products/batches")
                .then().statusCode(400).body("type", equalTo("https://tracemark.dev/problems/malformed-json"));
        auth().contentType("application/json").body("{\"description\":\"" + "x".repeat(70_000) + "\"}")
                .post("/v1/products/batches").then().statusCode(413).body("errors.code", hasItem("size.exceeded"));
        auth().header("Idempotency-Key", "k".repeat(201)).contentType("application/json").body("{}")
                .post("/v1/products/batches").then().statusCode(422).body("errors.code", hasItem("idempotency-key.invalid"));
    }
}
