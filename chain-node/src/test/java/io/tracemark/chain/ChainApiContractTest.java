package io.tracemark.chain;

import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.tracemark.chain.config.TopicsConfig;
import io.tracemark.client.chain.ApiClient;
import io.tracemark.client.chain.ApiException;
import io.tracemark.client.chain.api.KeysApi;
import io.tracemark.client.chain.api.LeavesApi;
import io.tracemark.client.chain.model.LeafPosition;
import io.tracemark.client.chain.model.LedgerKeys;
import io.tracemark.testsupport.SharedInfra;
import io.tracemark.testsupport.api.PublishedSpec;
import io.tracemark.testsupport.api.Redocly;
import io.tracemark.testsupport.api.SwaggerUi;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URL;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chain node's published OpenAPI document is the contract: it lints clean, equals the committed
 * {@code docs/api/chain-node.openapi.json}, describes every answer of the read path and the witness (each call
 * here is validated against it), a client generated from it reads the keys and finds a leaf, and Swagger UI's
 * Authorize and Try it out work on it.
 */
@QuarkusTest
@QuarkusTestResource(value = ChainTestInfra.class, restrictToAnnotatedClass = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChainApiContractTest {
    static final String SERVICE = "chain-node";
    static final int LEAVES = 300;

    @Inject
    TopicsConfig topics;
    @TestHTTPResource("/")
    URL base;

    List<byte[]> digests;
    PublishedSpec spec;
    OpenApiValidationFilter contract;

    // RestAssured points at the application only once a test method runs, so set-up happens there.
    @BeforeEach
    void leavesAndSpec() {
        if (digests == null) {
            try (LeafProducer producer = new LeafProducer(SharedInfra.kafkaBootstrap(), topics.chainLeaves())) {
                producer.sendBatch(LEAVES);
                digests = producer.digests();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> ChainNodeApi.checkpoint().size() == LEAVES);
            await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/v1/blocks/latest").statusCode() == 200);
        }
        spec = PublishedSpec.of(SERVICE);
        contract = spec.validator();
    }

    private RequestSpecification call() {
        return given().filter(contract);
    }

    @Test
    void publishedSpecLintsWithoutErrorsAndIsTheCommittedContract() {
        Redocly.assertLintsWithoutErrors(spec.file());
        spec.assertCommittedContractIsCurrent();
        JsonNode doc = spec.json();
        assertEquals("bearer", doc.at("/components/securitySchemes/tenantApiKey/scheme").asText());
        assertEquals("#/components/schemas/Problem",
                doc.at("/paths/~1v1~1proofs~1inclusion/get/responses/422/content/application~1problem+json/schema/$ref").asText());
    }

    @Test
    void readPathAnswersAsPublished() {
        String digest = HexFormat.of().formatHex(digests.get(5));
        call().get("/checkpoint").then().statusCode(200);
        call().get("/v1/keys").then().statusCode(200).body("origin", equalTo(ChainNodeApi.ORIGIN));
        call().queryParam("hash", digest).get("/v1/leaves").then().statusCode(200).body("index", equalTo(5));
        call().queryParam("hash", "00".repeat(32)).get("/v1/leaves").then().statusCode(404);
        // A request the document itself refuses (hash has 64 hex digits): only the answer is checked.
        given().filter(spec.responseValidator()).queryParam("hash", "zz").get("/v1/leaves").then().statusCode(400)
                .body("type", equalTo("https://tracemark.dev/problems/invalid-parameter"));
        call().queryParam("index", 5).queryParam("size", LEAVES).get("/v1/proofs/inclusion").then().statusCode(200)
                .body("treeSize", equalTo(LEAVES));
        call().queryParam("index", LEAVES).queryParam("size", LEAVES).get("/v1/proofs/inclusion").then().statusCode(422);
        call().queryParam("from", 10).queryParam("to", LEAVES).get("/v1/proofs/consistency").then().statusCode(200);
        call().queryParam("from", LEAVES + 1).queryParam("to", LEAVES).get("/v1/proofs/consistency").then().statusCode(422);
        call().queryParam("index", 5).get("/v1/proofs/tlog-proof").then().statusCode(200);
        call().get("/v1/blocks/latest").then().statusCode(200);
        call().get("/v1/blocks/0").then().statusCode(200).body("header.height", equalTo(0));
        call().get("/v1/blocks/999999").then().statusCode(404);
        call().get("/v1/timestamps/x").then().statusCode(400);
        call().get("/witness/" + "ab".repeat(32) + "/checkpoint").then().statusCode(404);
    }

    @Test
    void generatedClientReadsTheKeysAndFindsALeaf() throws Exception {
        ApiClient client = new ApiClient();
        client.updateBaseUri(base.toString().replaceAll("/$", ""));
        LedgerKeys keys = new KeysApi(client).getKeys();
        assertEquals(ChainNodeApi.ORIGIN, keys.getOrigin());
        assertTrue(keys.getTsaCertificate().startsWith("-----BEGIN CERTIFICATE-----"), keys.getTsaCertificate());
        LeafPosition at = new LeavesApi(client).findLeaf(HexFormat.of().formatHex(digests.get(7)));
        assertEquals(Long.valueOf(7), at.getIndex());
        ApiException missing = assertThrows(ApiException.class, () -> new LeavesApi(client).findLeaf("00".repeat(32)));
        assertEquals(404, missing.getCode());
    }

    @Test
    void swaggerUiAuthorizeThenTryItOutReadsTheVerificationKeys() {
        try (SwaggerUi ui = SwaggerUi.open(base)) {
            ui.authorize("tmk_swaggerui000_" + "x".repeat(43));
            assertEquals(200, ui.tryItOut("keys", "getKeys", Map.of()));
            assertTrue(ui.responseBody("keys", "getKeys").contains(ChainNodeApi.ORIGIN), ui.responseBody("keys", "getKeys"));
            ui.screenshot("chain-node-swagger-ui.png");
        }
    }
}
