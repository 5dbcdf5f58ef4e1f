package io.tracemark.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.proofs.cli.VerifyCli;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.receipt.CheckCode;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptCheck;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.receipt.ReceiptVerifier;
import io.tracemark.proofs.receipt.VerificationPolicy;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.RecordMetadata;
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
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(AttestTestResource.class)
class ReceiptsAndEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ANCHORING = Duration.ofSeconds(60);
    @Inject
    ApiKeyStore keys;
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    private MongoDatabase db() {
        return mongo.getDatabase(database);
    }

    private static JsonNode events(String key, String after, String types, Integer limit) throws Exception {
        var req = given().header("Authorization", "Bearer " + key);
        if (after != null) {
            req = req.queryParam("after", after);
        }
        if (types != null) {
            req = req.queryParam("types", types);
        }
        if (limit != null) {
            req = req.queryParam("limit", limit);
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

    /** The record.anchored event of a record as the tenant pulls it. */
    private static JsonNode awaitAnchoredEvent(String key, String recordId) {
        JsonNode[] anchored = new JsonNode[1];
        await().atMost(ANCHORING).pollInterval(Duration.ofMillis(250)).until(() -> (anchored[0] = find(events(key, null,
                EventTypes.RECORD_ANCHORED, 1000), EventTypes.RECORD_ANCHORED, recordId)) != null);
        return anchored[0];
    }

    private static VerificationPolicy policy(int threshold) {
        ChainFixture chain = AttestTestResource.chain();
        return new VerificationPolicy(ChainFixture.ORIGIN, VerifierSet.parse(List.of(chain.verifierKeys())), threshold,
                List.of(chain.tsa.certificate), true)
                .withWitnesses(io.tracemark.proofs.cosignature.WitnessPolicy.of(List.of(chain.witness.verifier()), 1), true);
    }

    /** Every check passes; this chain node has no external time-stamping authority, so that one check is skipped. */
    private static void assertAllPass(List<ReceiptCheck> checks) {
        checks.forEach(c -> assertEquals(c.code().equals(CheckCode.AUTHORITY_TIMESTAMPS) ? ReceiptCheck.Status.SKIPPED
                : ReceiptCheck.Status.PASS, c.status(), c.toString()));
    }

    private static ReceiptCheck check(List<ReceiptCheck> checks, String code) {
        return checks.stream().filter(c -> c.code().equals(code)).findFirst().orElseThrow();
    }

    @Test
    void anchoredEventCarriesAReceiptThatVerifiesOfflineWithBothReplicaSignaturesAndFailsWhenTampered() throws Exception {
        ChainFixture chain = AttestTestResource.chain();
        String tenant = Pipeline.newTenant("rcpt");
        String key = keys.issue(tenant, Set.of(Role.READ)).apiKey();
        AnchorRequest rec = Pipeline.storeProductBatch(db(), tenant, "04006381333931");
        Pipeline.anchor(List.of(rec));
        JsonNode event = awaitAnchoredEvent(key, rec.recordId());

        JsonNode data = event.path("data");
        assertEquals(Event.idOf(EventTypes.RECORD_ANCHORED, rec.recordId()), event.path("id").asText());
        assertEquals(rec.digest(), data.path("digest").asText());
        assertEquals("product.batch", data.path("type").asText());
        assertEquals(chain.indexOf(rec.digest()).longValue(), data.path("leafIndex").asLong());
        assertEquals(2, data.path("signatures").asInt());
        assertEquals(2, data.path("expectedSignatures").asInt());
        assertTrue(data.path("timestamped").asBoolean());
        assertEquals(event.path("timestamp").asText(), data.path("anchoredAt").asText(), "anchored at the block's time");

        Receipt receipt = ReceiptJson.read(JSON.writeValueAsBytes(data.path("receipt")));
        assertEquals(List.of("tracemark.local/chain-node-1", "tracemark.local/chain-node-2"), receipt.verifierKeyNames());
        assertEquals(data.path("blockHeight").asLong(), receipt.block().height());
        assertEquals(data.path("treeSize").asLong(), receipt.block().treeSize());
        assertEquals(rec.acceptedAt().toString(), receipt.record().acceptedAt());
        assertNotNull(receipt.record().canonical(), "the receipt carries the record's canonical bytes");
        assertTrue(receipt.witnessing().isWitnessed(), "the receipt carries the witness's cosignature");
        assertEquals(List.of("witness.test/fixture"),
                check(ReceiptVerifier.verify(receipt, policy(2)), CheckCode.CHECKPOINT_WITNESSED).facts().get("cosignedBy"));
        assertAllPass(ReceiptVerifier.verify(receipt, policy(2)));

        // Offline, with the command-line verifier and nothing but the keys and the TSA certificate.
        Path dir = Files.createTempDirectory("receipt");
        Path good = dir.resolve("receipt.json");
        Files.writeString(good, ReceiptJson.write(receipt));
        Path keyFile = dir.resolve("keys.txt");
        Files.writeString(keyFile, String.join("\n", chain.verifierKeys()));
        Path tsa = dir.resolve("tsa.pem");
        Files.writeString(tsa, chain.tsa.pem());
        assertEquals("OK", cli(good, keyFile, tsa).split(" ")[0]);

        String json = ReceiptJson.write(receipt);
        String d = rec.digest();
        String flipped = d.substring(0, 30) + (d.charAt(30) == 'f' ? 'e' : 'f') + d.substring(31);
        Path bad = dir.resolve("tampered.json");
        Files.writeString(bad, json.replace(d, flipped));
        String line = cli(bad, keyFile, tsa);
        assertTrue(line.startsWith("FAIL " + CheckCode.RECORD_DIGEST), line);

        // One replica's signature is not enough for a threshold of two.
        String secondSignature = receipt.tlogProof().lines()
                .filter(l -> l.startsWith("\u2014 tracemark.local/chain-node-2 ")).findFirst().orElseThrow();
        Receipt oneSigned = new Receipt(receipt.format(), receipt.record(), receipt.leafIndex(),
                receipt.tlogProof().replace(secondSignature + "\n", ""), receipt.block(), receipt.timestamp(),
                List.of("tracemark.local/chain-node-1"));
        assertEquals(ReceiptCheck.Status.PASS, check(ReceiptVerifier.verify(oneSigned, policy(1)), CheckCode.CHECKPOINT_SIGNATURE).status());
        assertTrue(check(ReceiptVerifier.verify(oneSigned, policy(2)), CheckCode.CHECKPOINT_SIGNATURE).failed());
    }

    @Test
    void receiptCarriesTheContentItsAnchorRequestHandedOverWithoutReadingTheStore() throws Exception {
        String tenant = Pipeline.newTenant("handoff");
        String key = keys.issue(tenant, Set.of(Role.READ)).apiKey();
        // Never stored: only the anchor request carries the salt and canonical text.
        AnchorRequest rec = Pipeline.sealedRecord(tenant, "product.batch", Instant.now(),
                new org.bson.Document("gtin", "04006381333931").append("lot", "H1"), List.of("04006381333931"), null);
        Pipeline.anchor(List.of(rec));
        JsonNode event = awaitAnchoredEvent(key, rec.recordId());
        Receipt receipt = ReceiptJson.read(JSON.writeValueAsBytes(event.path("data").path("receipt")));
        assertEquals(rec.content().canonical(), receipt.record().canonical());
        assertEquals(rec.content().salt(), receipt.record().salt());
        assertEquals(ReceiptCheck.Status.PASS, check(ReceiptVerifier.verify(receipt, policy(2)), CheckCode.RECORD_DIGEST).status());
        assertEquals(List.of("04006381333931"), Pipeline.anchored(List.of(rec.recordId())).get(rec.recordId()).gtins(),
                "webhook GTIN filters see the record's GTINs");
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
    void aBlockIsAnchoredOnlyOnceEveryReplicaSignedIt() throws Exception {
        ChainFixture chain = AttestTestResource.chain();
        String tenant = Pipeline.newTenant("cosign");
        String key = keys.issue(tenant, Set.of(Role.READ)).apiKey();
        AnchorRequest rec = Pipeline.storeProductBatch(db(), tenant, "04006381333931");
        // The second replica publishes its copy well after the first; attest must wait for it (signature-wait is 10 s).
        chain.secondCopyDelay(Duration.ofMillis(1500));
        JsonNode event;
        try {
            Pipeline.anchor(List.of(rec));
            event = awaitAnchoredEvent(key, rec.recordId());
        } finally {
            chain.secondCopyDelay(Duration.ZERO);
        }
        assertEquals(2, event.path("data").path("signatures").asInt());
        Receipt receipt = ReceiptJson.read(JSON.writeValueAsBytes(event.path("data").path("receipt")));
        assertAllPass(ReceiptVerifier.verify(receipt, policy(2)));
        // The per-block fact holds the checkpoint with both signatures merged.
        Document fact = db().getCollection("blocks").find(Filters.eq("_id", receipt.block().height())).first();
        assertNotNull(fact);
        Note note = Note.parse(fact.getString("checkpoint").getBytes(StandardCharsets.UTF_8));
        assertEquals(2, note.signatures().size());
    }

    @Test
    void receiptsProveInclusionFromTilesRatherThanOneChainRequestPerRecord() throws Exception {
        ChainFixture chain = AttestTestResource.chain();
        String tenant = Pipeline.newTenant("tiles");
        String key = keys.issue(tenant, Set.of(Role.READ)).apiKey();
        long inclusionsBefore = chain.inclusionsServed();
        long tilesBefore = chain.tilesServed();
        List<AnchorRequest> recs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            recs.add(Pipeline.storeProductBatch(db(), tenant, "04006381333931"));
        }
        Pipeline.anchor(recs);
        for (AnchorRequest r : recs) {
            JsonNode anchored = awaitAnchoredEvent(key, r.recordId());
            Receipt receipt = ReceiptJson.read(JSON.writeValueAsBytes(anchored.path("data").path("receipt")));
            assertAllPass(ReceiptVerifier.verify(receipt, policy(2)));
        }
        assertEquals(inclusionsBefore, chain.inclusionsServed(), "inclusion proofs asked for one by one");
        assertTrue(chain.tilesServed() > tilesBefore, "no tile fetched");
    }

    @Test
    void pullCursorReturnsOnlyTheTenantsEventsInOrderAndPagesResumeFromNext() throws Exception {
        String tenant = Pipeline.newTenant("pull");
        int partitions = Pipeline.partitionCount(Pipeline.EVENTS);
        // Another tenant whose events share no partition with this one's, and one that does: neither shows up.
        String other = Pipeline.newTenant("pull");
        while (Pipeline.eventsPartitionOf(other, partitions) == Pipeline.eventsPartitionOf(tenant, partitions)) {
            other = Pipeline.newTenant("pull");
        }
        String neighbour = Pipeline.newTenant("pull");
        while (Pipeline.eventsPartitionOf(neighbour, partitions) != Pipeline.eventsPartitionOf(tenant, partitions)) {
            neighbour = Pipeline.newTenant("pull");
        }
        String key = keys.issue(tenant, Set.of(Role.READ)).apiKey();
        String otherKey = keys.issue(other, Set.of(Role.READ)).apiKey();
        List<AnchorRequest> mine = new ArrayList<>();
        List<Pipeline.Message> messages = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            AnchorRequest r = Pipeline.storeProductBatch(db(), tenant, "04006381333931");
            mine.add(r);
            messages.add(Pipeline.Message.anchor(0, r));
            // Interleaved on the same anchor-requests partition, so the events log has them in this order.
            messages.add(Pipeline.Message.anchor(0, Pipeline.storeProductBatch(db(), neighbour, "04006381333931")));
            messages.add(Pipeline.Message.anchor(0, Pipeline.storeProductBatch(db(), other, "04006381333931")));
        }
        Pipeline.send(messages);
        await().atMost(ANCHORING).until(() -> events(key, null, EventTypes.RECORD_ACCEPTED, null).path("events").size() == 3);

        // Page by page, one event each, resuming from the previous page's next.
        List<JsonNode> paged = new ArrayList<>();
        String after = null;
        for (int i = 0; i < 3; i++) {
            JsonNode page = events(key, after, EventTypes.RECORD_ACCEPTED, 1);
            assertEquals(1, page.path("events").size(), "page " + i + ": " + page);
            paged.add(page.path("events").get(0));
            assertNotEquals(after, page.path("next").asText());
            after = page.path("next").asText();
        }
        assertEquals(0, events(key, after, EventTypes.RECORD_ACCEPTED, 1).path("events").size(), "nothing after the last page");
        for (int i = 0; i < 3; i++) {
            JsonNode e = paged.get(i);
            assertEquals(mine.get(i).recordId(), e.path("data").path("recordId").asText(), "event " + i + " in log order");
            assertEquals(tenant, e.path("tenant").asText());
            assertEquals(Event.idOf(EventTypes.RECORD_ACCEPTED, mine.get(i).recordId()), e.path("id").asText(), "deterministic id");
            assertEquals(mine.get(i).acceptedAt().toString(), e.path("timestamp").asText());
            assertTrue(e.path("cursor").asText().matches("\\d+-\\d+"), e.path("cursor").asText());
        }
        for (int i = 1; i < 3; i++) {
            assertTrue(offset(paged.get(i).path("cursor").asText()) > offset(paged.get(i - 1).path("cursor").asText()));
        }
        // Resuming from an event's own cursor gives the events after it.
        JsonNode rest = events(key, paged.get(0).path("cursor").asText(), EventTypes.RECORD_ACCEPTED, null);
        assertEquals(List.of(mine.get(1).recordId(), mine.get(2).recordId()), recordIds(rest));

        await().atMost(ANCHORING).until(() -> events(key, null, "record.*", null).path("events").size() == 6);
        for (JsonNode e : events(key, null, "*", null).path("events")) {
            assertEquals(tenant, e.path("tenant").asText());
        }
        JsonNode others = events(otherKey, null, null, null);
        assertFalse(others.path("events").isEmpty());
        for (JsonNode e : others.path("events")) {
            assertEquals(other, e.path("tenant").asText());
        }

        // A cursor that is not one, or a position of another tenant's partition, is a 400 problem.
        for (String bad : List.of("abc", "12", "1-x", paged.get(0).path("cursor").asText() + "0-")) {
            JsonNode problem = JSON.readTree(given().header("Authorization", "Bearer " + key).queryParam("after", bad)
                    .get("/v1/events").then().statusCode(400).contentType("application/problem+json").extract().asString());
            assertEquals("https://tracemark.dev/problems/validation", problem.path("type").asText());
            assertEquals("/after", problem.path("errors").get(0).path("pointer").asText());
        }
        String othersCursor = others.path("events").get(0).path("cursor").asText();
        given().header("Authorization", "Bearer " + key).queryParam("after", othersCursor).get("/v1/events")
                .then().statusCode(400).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + key).queryParam("types", "Record!").get("/v1/events")
                .then().statusCode(400);
        given().get("/v1/events").then().statusCode(401);
    }

    private static long offset(String cursor) {
        return Long.parseLong(cursor.substring(cursor.indexOf('-') + 1));
    }

    private static List<String> recordIds(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("events").forEach(e -> out.add(e.path("data").path("recordId").asText()));
        return out;
    }

    @Test
    void deadLetteredRecordBecomesRejectedEventForTheHeaderTenant() throws Exception {
        String tenant = Pipeline.newTenant("dlq");
        String key = keys.issue(tenant, Set.of(Role.READ)).apiKey();
        String idem = "erp-" + java.util.UUID.randomUUID();
        String value = "{\"type\":\"product.batch\",\"idempotencyKey\":\"" + idem + "\",\"payload\":{\"gtin\":\"04006381333931\"}}";
        // Dead-lettered because the tenant was not set up then: not an event of the tenant of that name.
        Pipeline.send(List.of(new Pipeline.Message(Pipeline.RECORDS_DLQ, null, null, value.getBytes(StandardCharsets.UTF_8),
                Map.of("tracemark-tenant", tenant.getBytes(StandardCharsets.UTF_8), "tracemark-problem",
                        "{\"type\":\"https://tracemark.dev/problems/tenant-unknown\",\"status\":400}".getBytes(StandardCharsets.UTF_8)))));
        RecordMetadata sent = Pipeline.send(List.of(new Pipeline.Message(Pipeline.RECORDS_DLQ, null, null,
                value.getBytes(StandardCharsets.UTF_8), Map.of(
                        "tracemark-tenant", tenant.getBytes(StandardCharsets.UTF_8),
                        "tracemark-problem", "{\"type\":\"https://tracemark.dev/problems/validation\",\"status\":422}"
                                .getBytes(StandardCharsets.UTF_8))))).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> events(key, null, EventTypes.RECORD_REJECTED, null).path("events").size() == 1);
        JsonNode e = events(key, null, EventTypes.RECORD_REJECTED, null).path("events").get(0);
        assertEquals(tenant, e.path("tenant").asText());
        assertEquals(idem, e.path("data").path("idempotencyKey").asText());
        assertEquals("product.batch", e.path("data").path("type").asText());
        assertEquals("https://tracemark.dev/problems/validation", e.path("data").path("problem").path("type").asText());
        assertEquals(sent.offset(), e.path("data").path("dlqOffset").asLong());
        assertEquals(Event.idOf(EventTypes.RECORD_REJECTED, Pipeline.RECORDS_DLQ + ":" + sent.partition() + ":" + sent.offset()),
                e.path("id").asText());
    }

    @Test
    void claimPriorityIsLogOrderBothPartiesAreToldEachFromItsSideAndAReRegistrationConflictsWithNobody() throws Exception {
        String first = Pipeline.newTenant("art");
        String second = Pipeline.newTenant("art");
        String third = Pipeline.newTenant("art");
        String firstKey = keys.issue(first, Set.of(Role.READ)).apiKey();
        String secondKey = keys.issue(second, Set.of(Role.READ)).apiKey();
        String thirdKey = keys.issue(third, Set.of(Role.READ)).apiKey();
        Random random = new Random();
        String sha = Pipeline.sha256(java.util.UUID.randomUUID().toString());
        long phash = random.nextLong();
        // The third tenant's copy reached ingest first, but the first tenant's work is anchored first: the log decides.
        AnchorRequest receivedFirst = Pipeline.storeWork(db(), third, Instant.now().minusSeconds(600), sha, random.nextLong());
        AnchorRequest original = Pipeline.storeWork(db(), first, Instant.now().minusSeconds(60), sha, phash);
        Pipeline.anchor(List.of(original));
        await().atMost(ANCHORING).until(() -> find(events(firstKey, null, EventTypes.RECORD_ANCHORED, null),
                EventTypes.RECORD_ANCHORED, original.recordId()) != null);
        AnchorRequest near = Pipeline.storeWork(db(), second, Instant.now(), Pipeline.sha256("other-" + sha), phash ^ 0b1011L);
        AnchorRequest unrelated = Pipeline.storeWork(db(), second, Instant.now(), Pipeline.sha256("unrelated-" + sha), ~phash);
        Pipeline.anchor(List.of(receivedFirst, near, unrelated));

        await().atMost(ANCHORING).until(() -> events(secondKey, null, EventTypes.CLAIM_CONFLICT, null).path("events").size() == 1
                && events(thirdKey, null, EventTypes.CLAIM_CONFLICT, null).path("events").size() == 1
                && events(firstKey, null, EventTypes.CLAIM_CONFLICT, null).path("events").size() == 2);
        JsonNode nearConflict = events(secondKey, null, EventTypes.CLAIM_CONFLICT, null).path("events").get(0);
        assertEquals(Event.idOf(EventTypes.CLAIM_CONFLICT, near.recordId()), nearConflict.path("id").asText());
        JsonNode data = nearConflict.path("data");
        assertEquals("later", data.path("side").asText());
        assertEquals("an earlier registration exists", data.path("message").asText());
        assertEquals(near.recordId(), data.path("recordId").asText());
        assertEquals(original.recordId(), data.path("earlierRecordId").asText());
        assertEquals(first, data.path("earlierTenant").asText());
        assertTrue(data.path("earlierLeafIndex").asLong() < data.path("leafIndex").asLong());
        assertEquals("phash", data.path("match").asText());
        assertEquals(3, data.path("hammingDistance").asInt());

        JsonNode exact = events(thirdKey, null, EventTypes.CLAIM_CONFLICT, null).path("events").get(0).path("data");
        assertEquals(receivedFirst.recordId(), exact.path("recordId").asText(), "received first, anchored later: the later party");
        assertEquals(original.recordId(), exact.path("earlierRecordId").asText());
        assertEquals("sha256", exact.path("match").asText());
        assertNull(exact.get("hammingDistance"));

        // The original holder hears of both, from its own side.
        Map<String, JsonNode> told = new HashMap<>();
        events(firstKey, null, EventTypes.CLAIM_CONFLICT, null).path("events")
                .forEach(e -> told.put(e.path("data").path("laterRecordId").asText(), e.path("data")));
        assertEquals(Set.of(near.recordId(), receivedFirst.recordId()), told.keySet());
        JsonNode toFirst = told.get(near.recordId());
        assertEquals("earlier", toFirst.path("side").asText());
        assertEquals("a later registration resembles your work", toFirst.path("message").asText());
        assertEquals(original.recordId(), toFirst.path("recordId").asText());
        assertEquals(second, toFirst.path("laterTenant").asText());
        assertEquals(third, told.get(receivedFirst.recordId()).path("laterTenant").asText());

        // The original holder registers its work again: its own earlier registration comes first, so nobody is told.
        AnchorRequest again = Pipeline.storeWork(db(), first, Instant.now(), sha, phash);
        Pipeline.anchor(List.of(again));
        await().atMost(ANCHORING).until(() -> find(events(firstKey, null, EventTypes.RECORD_ANCHORED, null),
                EventTypes.RECORD_ANCHORED, again.recordId()) != null);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                events(firstKey, null, EventTypes.CLAIM_CONFLICT, null).path("events").size() == 2
                        && events(secondKey, null, EventTypes.CLAIM_CONFLICT, null).path("events").size() == 1
                        && events(thirdKey, null, EventTypes.CLAIM_CONFLICT, null).path("events").size() == 1);
    }
}
