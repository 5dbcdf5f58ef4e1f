package io.tracemark.ingest.anchor;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.anchor.AnchorRequestCodec;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.KafkaTestClient;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Anchor requests on the topic decode with the shared contract, GTINs always as a list of GTIN-14s. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class AnchorRequestContractTest {
    @Inject
    ApiKeyStore keys;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    String tenant;
    String apiKey;

    @BeforeEach
    void tenant() {
        tenant = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        apiKey = keys.issue(tenant, EnumSet.of(Role.READ, Role.WRITE)).apiKey();
    }

    private String post(String path, String body) {
        return given().header("Authorization", "Bearer " + apiKey).contentType(ContentType.JSON).body(body)
                .post(path).then().statusCode(201).extract().path("id");
    }

    private AnchorRequest published(String recordId) {
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            return AnchorRequestCodec.decode(kafka.consume("tracemark.anchor-requests", 1, Duration.ofSeconds(30),
                    r -> recordId.equals(r.key())).get(0).value());
        }
    }

    @Test
    void productBatchCarriesItsGtinAsAOneElementList() {
        String id = post("/v1/products/batches", "{\"gtin\":\"96385074\",\"lot\":\"C-1\"}");
        AnchorRequest r = published(id);
        assertEquals(id, r.recordId());
        assertEquals(tenant, r.tenant());
        assertEquals("product.batch", r.type());
        assertEquals(List.of("00000096385074"), r.gtins());
        assertNull(r.work());
        String digest = given().header("Authorization", "Bearer " + apiKey).get("/v1/records/" + id)
                .then().statusCode(200).extract().path("digest");
        assertEquals(digest, r.digest());
    }

    @Test
    void requestCarriesTheStoredSaltAndCanonicalTextWhoseHashIsTheDigest() throws Exception {
        String id = post("/v1/products/batches", "{\"gtin\":\"96385074\",\"lot\":\"C-2\"}");
        AnchorRequest r = published(id);
        var stored = given().header("Authorization", "Bearer " + apiKey).get("/v1/records/" + id)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(stored.getString("salt"), r.content().salt());
        assertEquals(stored.getString("canonical"), r.content().canonical());
        byte[] sha = java.security.MessageDigest.getInstance("SHA-256")
                .digest(r.content().canonical().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(r.digest(), java.util.HexFormat.of().formatHex(sha));
    }

    @Test
    void aRetriedRequestIsAnchoredWithTheContentStoredTheFirstTimeNotAFreshSalt() throws Exception {
        String key = "retry-" + UUID.randomUUID();
        String body = "{\"gtin\":\"96385074\",\"lot\":\"R-1\"}";
        String first = given().header("Authorization", "Bearer " + apiKey).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body).post("/v1/products/batches").then().extract().path("id");
        String again = given().header("Authorization", "Bearer " + apiKey).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(body).post("/v1/products/batches").then().extract().path("id");
        assertEquals(first, again);
        List<AnchorRequest> published;
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            published = kafka.consume("tracemark.anchor-requests", 2, Duration.ofSeconds(30), r -> first.equals(r.key()))
                    .stream().map(r -> AnchorRequestCodec.decode(r.value())).toList();
        }
        assertEquals(2, published.size(), "the retry asks for anchoring again (attest keeps one leaf)");
        for (AnchorRequest r : published) {
            byte[] sha = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(r.content().canonical().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(r.digest(), java.util.HexFormat.of().formatHex(sha), "content and digest of the stored record");
        }
        assertEquals(published.get(0).content(), published.get(1).content());
    }

    @Test
    void epcisEventWithSeveralGtinsCarriesThemAll() {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String id = post("/v1/events", "{\"type\":\"ObjectEvent\",\"action\":\"OBSERVE\",\"epcList\":["
                + "\"urn:epc:id:sgtin:0614141.107346." + marker + "\",\"urn:epc:id:sgtin:4006381.033393." + marker + "\"],"
                + "\"eventTime\":\"2026-01-01T00:00:00Z\",\"eventTimeZoneOffset\":\"+00:00\"}");
        AnchorRequest r = published(id);
        assertEquals("epcis.event", r.type());
        assertEquals(List.of("10614141073464", "04006381333931"), r.gtins());
    }

    @Test
    void mediaWorkCarriesItsFileIdentityAndNoGtins() {
        String sha = "ab".repeat(32);
        String id = post("/v1/works", "{\"title\":\"Song\",\"creators\":[\"Ada\"],\"mediaType\":\"audio/mpeg\",\"sha256\":\"" + sha + "\"}");
        AnchorRequest r = published(id);
        assertEquals(new AnchorRequest.Work(sha, null), r.work());
        assertEquals(List.of(), r.gtins());
    }

    @Test
    void gtinsAreNormalisedToGtin14AndDeduplicated() {
        assertEquals(List.of("04006381333931"), AnchorRequestPublisher.gtins("4006381333931"));
        assertEquals(List.of("04006381333931", "00000096385074"),
                AnchorRequestPublisher.gtins(List.of("04006381333931", "96385074", "4006381333931", "not-a-gtin")));
        assertEquals(List.of(), AnchorRequestPublisher.gtins(null));
    }
}
