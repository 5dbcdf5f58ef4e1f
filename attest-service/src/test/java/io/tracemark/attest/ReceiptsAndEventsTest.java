package io.tracemark.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.proofs.canonical.CanonicalJson;
import io.tracemark.proofs.cli.VerifyCli;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptCheck;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.receipt.ReceiptVerifier;
import io.tracemark.proofs.receipt.VerificationPolicy;
import io.tracemark.testsupport.KafkaTestClient;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(AttestTestResource.class)
class ReceiptsAndEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @Inject
    ApiKeyStore keys;
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    /** Stores a record the way ingest does and asks attest to anchor it; returns {id, digest}. */
    private String[] acceptRecord(KafkaTestClient kafka, String tenant) throws Exception {
        String id = "01REC" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        String salt = UUID.randomUUID().toString();
        Instant at = Instant.now();
        String env = "{\"v\":1,\"id\":\"" + id + "\",\"tenant\":\"" + tenant + "\",\"type\":\"product.batch\",\"receivedAt\":\""
                + at + "\",\"salt\":\"" + salt + "\",\"payload\":{\"gtin\":\"04006381333931\",\"lot\":\"L1\"}}";
        String canonical = new String(CanonicalJson.canonicalize(env), StandardCharsets.UTF_8);
        String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        mongo.getDatabase(database).getCollection("records").insertOne(new Document("_id", id).append("tenant", tenant)
                .append("type", "product.batch").append("salt", salt).append("canonical", canonical).append("digest", digest)
                .append("keys", new Document("gtin", "04006381333931")));
        kafka.send("tracemark.anchor-requests", id, "{\"recordId\":\"" + id + "\",\"tenant\":\"" + tenant
                + "\",\"type\":\"product.batch\",\"digest\":\"" + digest + "\",\"acceptedAt\":\"" + at + "\"}");
        return new String[] {id, digest};
    }

    private JsonNode events(String key, String after, String types) throws Exception {
        var req = given().header("Authorization", "Bearer " + key);
        if (after != null) {
            req = req.queryParam("after", after);
        }
        if (types != null) {
            req = req.queryParam("types", types);
        }
        return JSON.readTree(req.get("/v1/events").then().statusCode(200).extract().asString());
    }

    private static JsonNode find(JsonNode page, String type, String recordId) {
        for (JsonNode e : page.path("events")) {
            if (e.path("type").asText().equals(type) && recordId.equals(e.path("data").path("recordId").asText())) {
                return e;
            }
        }
        return null;
    }

    @Test
    void anchoredEventCarriesAReceiptThatVerifiesOfflineAndFailsWhenTampered() throws Exception {
        String tenant = "rcpt-" + UUID.randomUUID().toString().substring(0, 8);
        String key = keys.issue(tenant, Set.of(Role.READ)).apiKey();
        String[] rec;
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            rec = acceptRecord(kafka, tenant);
        }
        JsonNode[] anchored = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> (anchored[0] = find(events(key, null, "record.anchored"),
                "record.anchored", rec[0])) != null);
        Receipt receipt = ReceiptJson.read(JSON.writeValueAsBytes(anchored[0].path("data").path("receipt")));
        ChainFixture chain = AttestTestResource.chain();
        assertEquals(List.of("tracemark.local/chain-node-1", "tracemark.local/chain-node-2"), receipt.verifierKeyNames());
        var policy = new VerificationPolicy(ChainFixture.ORIGIN, VerifierSet.parse(List.of(chain.verifierKeys())), 2,
                List.of(chain.tsa.certificate), true);
        List<ReceiptCheck> checks = ReceiptVerifier.verify(receipt, policy);
        checks.forEach(c -> assertEquals(ReceiptCheck.Status.PASS, c.status(), c.toString()));

        Path dir = Files.createTempDirectory("receipt");
        Path good = dir.resolve("receipt.json");
        Files.writeString(good, ReceiptJson.write(receipt));
        Path keyFile = dir.resolve("keys.txt");
        Files.writeString(keyFile, String.join("\n", chain.verifierKeys()));
        Path tsa = dir.resolve("tsa.pem");
        Files.writeString(tsa, chain.tsa.pem());
        assertEquals("OK", cli(good, keyFile, tsa).split(" ")[0]);

        String json = ReceiptJson.write(receipt);
        String d = rec[1];
        String flipped = d.substring(0, 30) + (d.charAt(30) == 'f' ? 'e' : 'f') + d.substring(31);
        Path bad = dir.resolve("tampered.json");
        Files.writeString(bad, json.replace(d, flipped));
        String line = cli(bad, keyFile, tsa);
        assertTrue(line.startsWith("FAIL record.digest.match"), line);
    }

    private static String cli(Path receipt, Path keys, Path tsa) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = VerifyCli.run(new String[] {"receipt", receipt.toString(), "--keys", keys.toString(), "--threshold", "2",
                "--origin", ChainFixture.ORIGIN, "--tsa-cert", tsa.toString(), "--require-timestamp"},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        String line = out.toString(StandardCharsets.UTF_8).strip();
        assertEquals(line.startsWith("OK") ? 0 : 1, exit, line);
        return line;
    }

    @Test
    void receiptsProveInclusionFromTilesRatherThanOneChainRequestPerRecord() throws Exception {
        ChainFixture chain = AttestTestResource.chain();
        String tenant = "tiles-" + UUID.randomUUID().toString().substring(0, 8);
        String key = keys.issue(tenant, Set.of(Role.READ)).apiKey();
        long inclusionsBefore = chain.inclusionsServed();
        long tilesBefore = chain.tilesServed();
        List<String> ids = new java.util.ArrayList<>();
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            for (int i = 0; i < 20; i++) {
                ids.add(acceptRecord(kafka, tenant)[0]);
            }
        }
        var policy = new VerificationPolicy(ChainFixture.ORIGIN, VerifierSet.parse(List.of(chain.verifierKeys())), 2,
                List.of(chain.tsa.certificate), true);
        for (String id : ids) {
            JsonNode[] anchored = new JsonNode[1];
            await().atMost(Duration.ofSeconds(60)).until(() -> (anchored[0] = find(events(key, null, "record.anchored"),
                    "record.anchored", id)) != null);
            Receipt receipt = ReceiptJson.read(JSON.writeValueAsBytes(anchored[0].path("data").path("receipt")));
            ReceiptVerifier.verify(receipt, policy).forEach(c -> assertEquals(ReceiptCheck.Status.PASS, c.status(), c.toString()));
        }
        assertEquals(inclusionsBefore, chain.inclusionsServed(), "inclusion proofs asked for one by one");
        assertTrue(chain.tilesServed() > tilesBefore, "no tile fetched");
    }

    @Test
    void pullCursorReturnsOnlyTheTenantsEventsInOrderAndResumes() throws Exception {
        String tenant = "pull-" + UUID.randomUUID().toString().substring(0, 8);
        String other = "pull-" + UUID.randomUUID().toString().substring(0, 8);
        String key = keys.issue(tenant, Set.of(Role.READ)).apiKey();
        String otherKey = keys.issue(other, Set.of(Role.READ)).apiKey();
        String[] a;
        String[] b;
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            a = acceptRecord(kafka, tenant);
            b = acceptRecord(kafka, tenant);
            acceptRecord(kafka, other);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> events(key, null, "record.accepted").path("events").size() == 2);
        JsonNode page = events(key, null, "record.*");
        for (JsonNode e : page.path("events")) {
            assertEquals(tenant, e.path("tenant").asText());
        }
        JsonNode first = events(key, null, "record.accepted");
        String cursor = first.path("events").get(0).path("cursor").asText();
        JsonNode rest = events(key, cursor, "record.accepted");
        assertEquals(1, rest.path("events").size());
        assertTrue(Long.parseLong(rest.path("events").get(0).path("cursor").asText()) > Long.parseLong(cursor));
        assertTrue(Set.of(a[0], b[0]).contains(rest.path("events").get(0).path("data").path("recordId").asText()));
        for (JsonNode e : events(otherKey, null, null).path("events")) {
            assertEquals(other, e.path("tenant").asText());
        }
        given().header("Authorization", "Bearer " + key).queryParam("types", "Record!").get("/v1/events")
                .then().statusCode(400);
        given().get("/v1/events").then().statusCode(401);
    }

    @Test
    void deadLetteredRecordBecomesRejectedEventForTheHeaderTenant() throws Exception {
        String tenant = "dlq-" + UUID.randomUUID().toString().substring(0, 8);
        String key = keys.issue(tenant, Set.of(Role.READ)).apiKey();
        String idem = "erp-" + UUID.randomUUID();
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send("tracemark.records.dlq", null, "{\"type\":\"product.batch\",\"idempotencyKey\":\"" + idem + "\",\"payload\":{}}",
                    Map.of("tracemark-tenant", tenant, "tracemark-problem",
                            "{\"type\":\"https://tracemark.dev/problems/validation\",\"status\":422}"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> events(key, null, "record.rejected").path("events").size() == 1);
        JsonNode e = events(key, null, "record.rejected").path("events").get(0);
        assertEquals(idem, e.path("data").path("idempotencyKey").asText());
        assertEquals("https://tracemark.dev/problems/validation", e.path("data").path("problem").path("type").asText());
    }

    @Test
    void mediaWorkMatchingAnotherTenantsEarlierWorkRaisesClaimConflict() throws Exception {
        String first = "art-" + UUID.randomUUID().toString().substring(0, 8);
        String second = "art-" + UUID.randomUUID().toString().substring(0, 8);
        String key = keys.issue(second, Set.of(Role.READ)).apiKey();
        String sha = AnchoringTest.digest(UUID.randomUUID().toString());
        long phash = new java.util.Random().nextLong();
        String nearPhash = String.format("%016x", phash ^ 0b1011L);
        Instant t0 = Instant.now().minusSeconds(60);
        String idA = "work-" + UUID.randomUUID();
        String idB = "work-" + UUID.randomUUID();
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send("tracemark.anchor-requests", idA, "{\"recordId\":\"" + idA + "\",\"tenant\":\"" + first
                    + "\",\"type\":\"media.work\",\"digest\":\"" + AnchoringTest.digest(idA) + "\",\"acceptedAt\":\"" + t0
                    + "\",\"work\":{\"sha256\":\"" + sha + "\",\"phash\":\"" + String.format("%016x", phash) + "\"}}");
            kafka.send("tracemark.anchor-requests", idB, "{\"recordId\":\"" + idB + "\",\"tenant\":\"" + second
                    + "\",\"type\":\"media.work\",\"digest\":\"" + AnchoringTest.digest(idB) + "\",\"acceptedAt\":\""
                    + Instant.now() + "\",\"work\":{\"sha256\":\"" + AnchoringTest.digest("other" + idB) + "\",\"phash\":\""
                    + nearPhash + "\"}}");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> events(key, null, "claim.conflict").path("events").size() == 1);
        JsonNode data = events(key, null, "claim.conflict").path("events").get(0).path("data");
        assertEquals(idA, data.path("earlierRecordId").asText());
        assertEquals(first, data.path("earlierTenant").asText());
        assertEquals("phash", data.path("match").asText());
        assertEquals(3, data.path("hammingDistance").asInt());
    }
}
