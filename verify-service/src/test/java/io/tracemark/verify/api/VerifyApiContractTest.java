package io.tracemark.verify.api;

import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.tracemark.client.verify.ApiClient;
import io.tracemark.client.verify.api.VerificationApi;
import io.tracemark.client.verify.model.Verdict;
import io.tracemark.client.verify.model.VerifyRequest;
import io.tracemark.proofs.canonical.RecordDigest;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.testsupport.api.PublishedSpec;
import io.tracemark.testsupport.api.Redocly;
import io.tracemark.verify.fixtures.Images;
import io.tracemark.verify.fixtures.LoopbackChainNode;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import io.tracemark.verify.fixtures.Registry;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * verify-service's published OpenAPI document is the contract: it lints clean, equals the committed
 * {@code docs/api/verify-service.openapi.json}, documents every public operation as public and rate-limited,
 * describes every request and answer of the lookup, receipt, verification, claim, ledger and Digital Link flows
 * (each call here is validated against it), and a client generated from it verifies a receipt.
 */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class VerifyApiContractTest {
    static final String SERVICE = "verify-service";
    static final String GTIN = "04006381333931";

    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;
    @TestHTTPResource("/")
    URL base;

    final LoopbackChainNode chain = LoopbackChainNode.shared();
    Registry registry;
    PublishedSpec spec;
    OpenApiValidationFilter contract;

    @BeforeEach
    void setUp() {
        registry = new Registry(mongo, database, chain);
        spec = PublishedSpec.of(SERVICE);
        contract = spec.validator();
    }

    private RequestSpecification call() {
        return given().filter(contract);
    }

    private Registry.Stored anchoredWork(String tenant, byte[] file) {
        String sha = HexFormat.of().formatHex(RecordDigest.sha256(file));
        Registry.Stored r = registry.register(tenant, "media.work", Map.of("sha256", sha, "title", "Contract"),
                new Document("sha256", sha), Instant.now());
        registry.anchor(r, Instant.now());
        return r;
    }

    @Test
    void publishedSpecLintsWithoutErrorsAndIsTheCommittedContract() {
        Redocly.assertLintsWithoutErrors(spec.file());
        spec.assertCommittedContractIsCurrent();
        JsonNode doc = spec.json();
        assertEquals("bearer", doc.at("/components/securitySchemes/tenantApiKey/scheme").asText());
        doc.path("paths").forEach(path -> path.forEach(op -> {
            String id = op.path("operationId").asText();
            assertTrue(op.path("security").isArray() && op.path("security").isEmpty(), id + " is public");
            assertTrue(op.at("/responses/429/headers/Retry-After").isObject(), id + " documents its 429");
        }));
    }

    @Test
    void lookupReceiptAndVerificationAnswerAsPublished() {
        byte[] file = ("contract " + UUID.randomUUID()).getBytes();
        Registry.Stored r = anchoredWork("alice", file);
        String sha = HexFormat.of().formatHex(RecordDigest.sha256(file));
        call().get("/v1/records/" + r.id()).then().statusCode(200).body("anchor.state", equalTo("anchored"));
        call().queryParam("sha256", sha).get("/v1/records").then().statusCode(200).body("registrations[0].recordId", equalTo(r.id()));
        call().queryParam("sha256", "nope").get("/v1/records").then().statusCode(400);
        String receipt = call().get("/v1/receipts/" + r.id()).then().statusCode(200).extract().asString();
        call().get("/v1/receipts/" + r.id() + "/tlog-proof").then().statusCode(200);
        call().get("/v1/receipts/" + Registry.ulid(Instant.now())).then().statusCode(404);
        call().contentType("application/json").body("{\"recordId\":\"" + r.id() + "\"}").post("/v1/verify")
                .then().statusCode(200).body("verdict", equalTo("valid"));
        call().contentType("application/json").body("{\"receipt\":" + receipt + ",\"fileSha256\":\"" + sha + "\"}")
                .post("/v1/verify").then().statusCode(200).body("verdict", equalTo("valid"));
        given().filter(spec.responseValidator()).contentType("application/json").body("{\"receipt\":{},\"recordId\":\"x\"}")
                .post("/v1/verify").then().statusCode(400).body("type", equalTo("https://tracemark.dev/problems/validation"));
    }

    @Test
    void claimsAnswerAsPublished() {
        byte[] png = Images.png(Images.scene(4242));
        Registry.Stored r = anchoredWork("bob", png);
        String sha = HexFormat.of().formatHex(RecordDigest.sha256(png));
        call().contentType("application/json").body("{\"sha256\":\"" + sha + "\",\"claimant\":\"bob\"}").post("/v1/claims/verify")
                .then().statusCode(200).body("priority.recordId", equalTo(r.id())).body("claimantHasPriority", equalTo(true));
        given().filter(spec.responseValidator()).contentType("application/octet-stream").body(png)
                .queryParam("claimant", "mallory").post("/v1/claims/verify")
                .then().statusCode(200).body("exactMatches[0].recordId", equalTo(r.id())).body("claimantHasPriority", equalTo(false));
    }

    @Test
    void ledgerRelayAndDigitalLinkAnswerAsPublished() {
        String lot = "C-" + UUID.randomUUID().toString().substring(0, 6);
        Registry.Stored batch = registry.register("acme", "product.batch", Map.of("gtin", GTIN, "lot", lot, "description", "Oat drink"),
                new Document("gtin", GTIN).append("lot", lot), Instant.now());
        registry.anchor(batch, Instant.now());
        call().get("/v1/checkpoint").then().statusCode(200);
        call().get("/v1/keys").then().statusCode(200);
        long size = chain.size();
        call().queryParam("index", 0).queryParam("size", size).get("/v1/proofs/inclusion").then().statusCode(200)
                .body("treeSize", equalTo((int) size));
        call().queryParam("from", 1).queryParam("to", size).get("/v1/proofs/consistency").then().statusCode(200);
        call().accept("application/json").get("/01/" + GTIN + "/10/" + lot).then().statusCode(200).body("lot", equalTo(lot));
        call().accept("application/json").get("/01/" + GTIN + "/10/NO-SUCH-LOT").then().statusCode(404);
    }

    @Test
    void generatedClientVerifiesAReceipt() throws Exception {
        Registry.Stored r = anchoredWork("carol", ("generated " + UUID.randomUUID()).getBytes());
        ApiClient client = new ApiClient();
        client.updateBaseUri(base.toString().replaceAll("/$", ""));
        Verdict v = new VerificationApi(client).verifyReceipt(new VerifyRequest().recordId(r.id()));
        assertEquals(Verdict.VerdictEnum.VALID, v.getVerdict(), v.toString());
        assertEquals(r.id(), v.getRecordId());
        assertTrue(v.getChecks().stream().anyMatch(c -> "inclusion.proof.valid".equals(c.getCode())
                && c.getResult() == io.tracemark.client.verify.model.Check.ResultEnum.PASS), v.toString());
    }
}
