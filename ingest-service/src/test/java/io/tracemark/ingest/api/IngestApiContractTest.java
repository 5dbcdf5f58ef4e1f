package io.tracemark.ingest.api;

import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.tracemark.client.ingest.ApiClient;
import io.tracemark.client.ingest.ApiException;
import io.tracemark.client.ingest.api.ProductsApi;
import io.tracemark.client.ingest.api.RecordsApi;
import io.tracemark.client.ingest.model.ProductBatch;
import io.tracemark.client.ingest.model.RecordAccepted;
import io.tracemark.client.ingest.model.RecordView;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.testsupport.api.PublishedSpec;
import io.tracemark.testsupport.api.Redocly;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URL;
import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ingest-service's published OpenAPI document is the contract: it lints clean, equals the committed
 * {@code docs/api/ingest-service.openapi.json}, describes every request and answer of the main flows (each call
 * here is validated against it), and a client generated from it registers and reads a batch.
 */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class IngestApiContractTest {
    static final String SERVICE = "ingest-service";
    private static final String BATCH = """
            {"gtin":"4006381333931","lot":"%s","quantity":1200,"unit":"H87","productionDate":"2026-11-01",
             "expiryDate":"2027-11-01","facilityGln":"4012345000009","origin":"DE","description":"Oat drink 1 l"}
            """;
    private static final String EVENT = """
            {"type":"ObjectEvent","action":"ADD","bizStep":"commissioning","epcList":["urn:epc:id:sgtin:4006381.033393.%s"],
             "eventTime":"2026-11-01T09:00:00Z","eventTimeZoneOffset":"+01:00"}
            """;

    @Inject
    ApiKeyStore keys;
    @TestHTTPResource("/")
    URL base;

    String apiKey;
    PublishedSpec spec;
    OpenApiValidationFilter contract;

    @BeforeEach
    void tenantAndSpec() {
        apiKey = keys.issue("contract-" + UUID.randomUUID().toString().substring(0, 8), EnumSet.of(Role.READ, Role.WRITE)).apiKey();
        spec = PublishedSpec.of(SERVICE);
        contract = spec.validator();
    }

    private RequestSpecification asTenant() {
        return given().filter(contract).header("Authorization", "Bearer " + apiKey);
    }

    @Test
    void publishedSpecLintsWithoutErrorsAndIsTheCommittedContract() {
        Redocly.assertLintsWithoutErrors(spec.file());
        spec.assertCommittedContractIsCurrent();
        JsonNode doc = spec.json();
        JsonNode scheme = doc.at("/components/securitySchemes/tenantApiKey");
        assertEquals("http", scheme.path("type").asText());
        assertEquals("bearer", scheme.path("scheme").asText());
        assertEquals(1, doc.at("/components/securitySchemes").size(), doc.at("/components/securitySchemes").toString());
        JsonNode register = doc.at("/paths/~1v1~1products~1batches/post");
        assertEquals("registerProductBatch", register.path("operationId").asText());
        assertEquals("#/components/schemas/ProductBatch",
                register.at("/requestBody/content/application~1json/schema/$ref").asText());
        for (String status : List.of("200", "201", "400", "401", "403", "409", "413", "415", "422", "503")) {
            assertTrue(register.path("responses").has(status), "registerProductBatch documents " + status);
        }
        assertEquals("#/components/schemas/Problem",
                register.at("/responses/422/content/application~1problem+json/schema/$ref").asText());
    }

    @Test
    void batchIntakeAnswersAsPublished() {
        String lot = "C-" + UUID.randomUUID().toString().substring(0, 8);
        String key = UUID.randomUUID().toString();
        String id = asTenant().header("Idempotency-Key", key).contentType("application/json").body(BATCH.formatted(lot))
                .post("/v1/products/batches").then().statusCode(201).extract().path("id");
        asTenant().header("Idempotency-Key", key).contentType("application/json").body(BATCH.formatted(lot))
                .post("/v1/products/batches").then().statusCode(200).body("id", equalTo(id));
        asTenant().header("Idempotency-Key", key).contentType("application/json").body(BATCH.formatted(lot + "X"))
                .post("/v1/products/batches").then().statusCode(409)
                .body("type", equalTo("https://tracemark.dev/problems/idempotency-conflict"));
        asTenant().contentType("application/json").body(BATCH.formatted(lot).replace("4006381333931", "4006381333932"))
                .post("/v1/products/batches").then().statusCode(422);
        asTenant().get("/v1/records/" + id).then().statusCode(200).body("status", equalTo("accepted"));
        asTenant().queryParam("idempotencyKey", key).get("/v1/records").then().statusCode(200).body("id", equalTo(id));
        asTenant().get("/v1/records/01JDX3K8Q9V5T2M4N6P8R0S1W3").then().statusCode(404);
        asTenant().get("/v1/products/batches/04006381333931/" + lot + "/lineage").then().statusCode(200)
                .body("recordIds[0]", equalTo(id));
        asTenant().get("/v1/products/batches/04006381333931/NO-SUCH-LOT/lineage").then().statusCode(404);
    }

    @Test
    void unauthenticatedCallGetsThePublished401Problem() {
        given().filter(spec.responseValidator()).contentType("application/json").body(BATCH.formatted("NOKEY"))
                .post("/v1/products/batches").then().statusCode(401)
                .body("type", equalTo("https://tracemark.dev/problems/unauthenticated"));
    }

    @Test
    void epcisAndWorkIntakeAnswerAsPublished() {
        String epc = UUID.randomUUID().toString().substring(0, 8);
        String event = asTenant().contentType("application/json").body(EVENT.formatted(epc)).post("/v1/events")
                .then().statusCode(201).extract().path("id");
        asTenant().contentType("application/json").body(EVENT.formatted(epc)).post("/v1/events").then().statusCode(409)
                .body("type", equalTo("https://tracemark.dev/problems/duplicate-record")).body("existing.id", equalTo(event));
        String document = "{\"@context\":[\"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld\"],"
                + "\"type\":\"EPCISDocument\",\"schemaVersion\":\"2.0\",\"creationDate\":\"2026-11-01T10:00:00Z\","
                + "\"epcisBody\":{\"eventList\":[" + EVENT.formatted(epc + "b") + "]}}";
        String status = asTenant().contentType("application/ld+json").body(document).post("/v1/epcis/capture")
                .then().statusCode(202).extract().path("statusUrl");
        await().atMost(Duration.ofSeconds(30)).until(() -> !asTenant().get(status).then().statusCode(200)
                .extract().<Boolean>path("running"));
        asTenant().get(status).then().statusCode(200).body("success", equalTo(true));
        String sha = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        asTenant().contentType("application/json")
                .body("{\"title\":\"Harbour at dawn\",\"creators\":[\"Ada Example\"],\"mediaType\":\"image/png\",\"sha256\":\"" + sha + "\"}")
                .post("/v1/works").then().statusCode(201).body("type", equalTo("media.work"));
    }

    @Test
    void generatedClientRegistersAndReadsABatch() throws Exception {
        ApiClient client = new ApiClient();
        client.updateBaseUri(base.toString().replaceAll("/$", ""));
        client.setRequestInterceptor(r -> r.header("Authorization", "Bearer " + apiKey));
        String lot = "GEN-" + UUID.randomUUID().toString().substring(0, 8);
        RecordAccepted accepted = new ProductsApi(client).registerProductBatch(new ProductBatch().gtin("4006381333931").lot(lot)
                .quantity(new BigDecimal("12")).unit("H87").productionDate(LocalDate.of(2026, 11, 1)), "public", "gen-" + lot);
        assertEquals(RecordAccepted.TypeEnum.PRODUCT_BATCH, accepted.getType());
        assertTrue(accepted.getDigest().matches("[0-9a-f]{64}"), accepted.getDigest());
        RecordView view = new RecordsApi(client).getRecord(accepted.getId());
        assertEquals(accepted.getDigest(), view.getDigest());
        assertTrue(view.getCanonical().contains(lot), view.getCanonical());
        assertEquals(RecordView.VisibilityEnum.PUBLIC, view.getVisibility());
        ApiException refused = assertThrows(ApiException.class, () -> new ProductsApi(client)
                .registerProductBatch(new ProductBatch().gtin("4006381333932").lot(lot), null, null));
        assertEquals(422, refused.getCode());
    }
}
