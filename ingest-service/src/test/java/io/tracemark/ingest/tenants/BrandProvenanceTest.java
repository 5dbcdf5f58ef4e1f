package io.tracemark.ingest.tenants;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Who may speak for a brand: company prefixes declared by the operator, unknown Kafka tenants, undeclared amendments. */
@QuarkusTest
@TestProfile(BrandRefusalProfile.class)
@QuarkusTestResource(TracemarkInfraResource.class)
class BrandProvenanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GTIN = "4006381333931";
    private static final String EVENT = """
            {"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
             "type":"ObjectEvent","action":"OBSERVE","bizStep":"shipping",
             "epcList":["urn:epc:id:sgtin:0614141.107346.%s"],
             "eventTime":"2026-04-03T20:33:31.116-06:00","eventTimeZoneOffset":"-06:00",
             "quantityList":[{"epcClass":"urn:epc:class:lgtin:4012345.012345.998877","quantity":200,"uom":"KGM"}]}
            """;
    @Inject
    ApiKeyStore keys;
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    private record Tenant(String id, String key) {
    }

    private Tenant tenant(String... prefixes) {
        String id = "brand-" + UUID.randomUUID().toString().substring(0, 8);
        Tenant t = new Tenant(id, keys.issue(id, EnumSet.of(Role.READ, Role.WRITE)).apiKey());
        if (prefixes.length > 0) {
            declare(id, List.of(prefixes)).then().statusCode(200);
        }
        return t;
    }

    private static Response declare(String tenant, List<String> prefixes) {
        return given().header("Authorization", "Bearer " + BrandRefusalProfile.ADMIN_KEY).contentType("application/json")
                .body(Map.of("companyPrefixes", prefixes)).put("/v1/admin/tenants/" + tenant + "/company-prefixes");
    }

    private static String batch(String lot, int quantity) {
        return "{\"gtin\":\"" + GTIN + "\",\"lot\":\"" + lot + "\",\"quantity\":" + quantity + ",\"unit\":\"H87\"}";
    }

    private static Response post(Tenant t, String path, String body) {
        return given().header("Authorization", "Bearer " + t.key()).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType("application/json").body(body).post(path);
    }

    private long stored(String tenant) {
        return mongo.getDatabase(database).getCollection("records").countDocuments(Filters.eq("tenant", tenant));
    }

    @Test
    void refusesABatchOfAGtinOutsideTheTenantsCompanyPrefixesUntilTheOperatorDeclaresOne() {
        Tenant other = tenant("4012345");
        post(other, "/v1/products/batches", batch("B-1", 10)).then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://tracemark.dev/problems/gtin-not-owned"))
                .body("errors[0].pointer", equalTo("/payload/gtin"))
                .body("errors[0].code", equalTo("gtin.not-owned"));
        assertEquals(0, stored(other.id()), "nothing stored for the refused batch");

        Tenant brand = tenant();
        post(brand, "/v1/products/batches", batch("B-1", 10)).then().statusCode(422)
                .body("errors.code", hasItem("gtin.not-owned"));
        declare(brand.id(), List.of("4006381", "4006381")).then().statusCode(200)
                .body("companyPrefixes", equalTo(List.of("4006381")));
        post(brand, "/v1/products/batches", batch("B-1", 10)).then().statusCode(201);
        given().header("Authorization", "Bearer " + BrandRefusalProfile.ADMIN_KEY)
                .get("/v1/admin/tenants/" + brand.id() + "/company-prefixes").then().statusCode(200)
                .body("companyPrefixes", equalTo(List.of("4006381")));
    }

    @Test
    void anEpcisEventNamingOneGtinOfAnotherBrandIsRefused() {
        Tenant t = tenant("0614141");
        String event = EVENT.formatted(UUID.randomUUID().toString().substring(0, 8));
        post(t, "/v1/events", event).then().statusCode(422)
                .body("type", equalTo("https://tracemark.dev/problems/gtin-not-owned"))
                .body("errors.size()", equalTo(1))
                .body("errors[0].detail", org.hamcrest.Matchers.containsString("04012345123456"));
        declare(t.id(), List.of("0614141", "4012345")).then().statusCode(200);
        post(t, "/v1/events", event).then().statusCode(201);
    }

    @Test
    void onlyTheOperatorDeclaresCompanyPrefixesAndMalformedOnesAreRefusedByPosition() throws Exception {
        Tenant t = tenant();
        given().header("Authorization", "Bearer " + t.key()).contentType("application/json")
                .body(Map.of("companyPrefixes", List.of("4006381"))).put("/v1/admin/tenants/" + t.id() + "/company-prefixes")
                .then().statusCode(403);
        JsonNode problem = JSON.readTree(declare(t.id(), List.of("4006381", "400", "40063813339312", "40O6381")).then()
                .statusCode(422).contentType("application/problem+json").extract().asString());
        assertEquals(3, problem.path("errors").size(), problem.toString());
        assertEquals("/companyPrefixes/1", problem.path("errors").get(0).path("pointer").asText());
        assertEquals("company-prefix.invalid", problem.path("errors").get(0).path("code").asText());
        assertEquals("/companyPrefixes/3", problem.path("errors").get(2).path("pointer").asText());
        given().header("Authorization", "Bearer " + BrandRefusalProfile.ADMIN_KEY)
                .get("/v1/admin/tenants/" + t.id() + "/company-prefixes").then().statusCode(200)
                .body("companyPrefixes.size()", equalTo(0));
        given().header("Authorization", "Bearer " + BrandRefusalProfile.ADMIN_KEY)
                .get("/v1/admin/tenants/never-set-up-" + UUID.randomUUID().toString().substring(0, 6) + "/company-prefixes")
                .then().statusCode(404);
    }

    @Test
    void kafkaRecordsOfUnknownTenantsAndOfOtherBrandsGtinsAreDeadLetteredWithTheirReason() throws Exception {
        Tenant known = tenant("4012345");
        String ghost = "ghost-" + UUID.randomUUID().toString().substring(0, 8);
        String run = UUID.randomUUID().toString();
        String envelope = "{\"type\":\"product.batch\",\"idempotencyKey\":\"k-%s\",\"payload\":" + batch("GHOST1", 5) + "}";
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send("tracemark.records", "ghost-" + run, envelope.formatted(run), Map.of("tracemark-tenant", ghost));
            kafka.send("tracemark.records", "unowned-" + run, envelope.formatted(run), Map.of("tracemark-tenant", known.id()));
            List<ConsumerRecord<String, byte[]>> dead = kafka.consume("tracemark.records.dlq", 2, Duration.ofSeconds(90),
                    r -> r.key() != null && r.key().endsWith(run));
            assertEquals(2, dead.size());
            for (ConsumerRecord<String, byte[]> d : dead) {
                JsonNode problem = JSON.readTree(KafkaTestClient.header(d, "tracemark-problem"));
                if (d.key().startsWith("ghost-")) {
                    assertEquals("https://tracemark.dev/problems/tenant-unknown", problem.path("type").asText());
                    assertEquals("tenant.unknown", problem.path("errors").get(0).path("code").asText());
                } else {
                    assertEquals("https://tracemark.dev/problems/gtin-not-owned", problem.path("type").asText());
                    assertEquals("gtin.not-owned", problem.path("errors").get(0).path("code").asText());
                }
            }
        }
        assertEquals(0, stored(ghost));
        assertEquals(0, stored(known.id()));
    }

    @Test
    void registeringAGtinAndLotAgainWithOtherFactsIsAConflictUnlessItSaysWhatItAmends() throws Exception {
        Tenant brand = tenant("4006381");
        Tenant other = tenant("4006381");
        String first = post(brand, "/v1/products/batches", batch("AM-1", 100)).then().statusCode(201).extract().path("id");
        post(brand, "/v1/products/batches", batch("AM-1", 100)).then().statusCode(200).body("id", equalTo(first));
        post(brand, "/v1/products/batches", batch("AM-1", 120)).then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://tracemark.dev/problems/batch-facts-differ"))
                .body("instance", equalTo("/v1/records/" + first))
                .body("existing.id", equalTo(first));

        String amended = "{\"gtin\":\"" + GTIN + "\",\"lot\":\"AM-1\",\"quantity\":120,\"unit\":\"H87\",\"supersedes\":\"" + first + "\"}";
        String second = post(brand, "/v1/products/batches", amended).then().statusCode(201).extract().path("id");
        JsonNode canonical = JSON.readTree(given().header("Authorization", "Bearer " + brand.key()).get("/v1/records/" + second)
                .then().statusCode(200).extract().<String>path("canonical"));
        assertEquals(first, canonical.path("payload").path("supersedes").asText(), "what it amends is part of the hashed record");
        given().header("Authorization", "Bearer " + brand.key()).get("/v1/records/" + first).then().statusCode(200)
                .body("supersededBy", equalTo(List.of(second)));
        post(brand, "/v1/products/batches", amended.replace("120", "130")).then().statusCode(409)
                .body("existing.id", equalTo(second));

        post(other, "/v1/products/batches", amended).then().statusCode(422)
                .body("errors[0].pointer", equalTo("/payload/supersedes"))
                .body("errors[0].code", equalTo("supersedes.unknown"));
        String otherLot = post(brand, "/v1/products/batches", batch("AM-2", 1)).then().statusCode(201).extract().path("id");
        post(brand, "/v1/products/batches", amended.replace(first, otherLot)).then().statusCode(422)
                .body("errors[0].code", equalTo("supersedes.other-batch"));
        assertEquals(3, stored(brand.id()));
    }
}
