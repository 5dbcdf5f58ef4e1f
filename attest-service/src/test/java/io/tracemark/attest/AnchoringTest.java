package io.tracemark.attest;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.attest.events.AnchoringLoop;
import io.tracemark.attest.ledger.LeafBatches;
import io.tracemark.attest.ledger.LeafLoop;
import io.tracemark.contracts.Json;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptCheck;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.receipt.ReceiptVerifier;
import io.tracemark.proofs.receipt.VerificationPolicy;
import io.tracemark.testsupport.LogCapture;
import io.tracemark.testsupport.SharedInfra;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** From anchor requests to leaves and {@code record.anchored}: once per record, poison parked, nothing stored per record. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(AttestTestResource.class)
class AnchoringTest {
    private static final Duration ANCHORING = Duration.ofSeconds(60);

    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;
    @Inject
    AnchoringLoop anchoring;

    private MongoDatabase db() {
        return mongo.getDatabase(database);
    }

    private static void awaitAnchored(List<AnchorRequest> requests) {
        List<String> ids = requests.stream().map(AnchorRequest::recordId).toList();
        await().atMost(ANCHORING).pollInterval(Duration.ofMillis(250))
                .until(() -> Pipeline.anchored(ids).size() == ids.size());
    }

    private static Map<String, Long> countByRecord(String type, List<String> ids) {
        return Pipeline.events(type, ids).stream()
                .collect(Collectors.groupingBy(e -> e.event().data().path("recordId").asText(), Collectors.counting()));
    }

    @Test
    void redeliveredAndRepeatedAnchorRequestsGiveExactlyOneLeafAndOneEventOfEachKindPerRecord() {
        ChainFixture chain = AttestTestResource.chain();
        String tenant = Pipeline.newTenant("once");
        List<AnchorRequest> requests = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            requests.add(Pipeline.request(tenant));
        }
        // Every request twice in a row, as a redelivery after a rebalance or a republishing client gives them.
        List<Pipeline.Message> twice = new ArrayList<>();
        requests.forEach(r -> twice.add(Pipeline.Message.anchor(r)));
        requests.forEach(r -> twice.add(Pipeline.Message.anchor(r)));
        Pipeline.send(twice);
        awaitAnchored(requests);

        // Repeats after anchoring, then a sentinel on the same partition: once the sentinel is accepted, the
        // repeats before it have been read (one partition is consumed in order).
        AnchorRequest sentinel = Pipeline.request(tenant);
        List<Pipeline.Message> late = new ArrayList<>();
        requests.subList(0, 10).forEach(r -> late.add(Pipeline.Message.anchor(0, r)));
        late.add(Pipeline.Message.anchor(0, sentinel));
        Pipeline.send(late);
        await().atMost(ANCHORING).until(() -> !Pipeline.events(EventTypes.RECORD_ACCEPTED, List.of(sentinel.recordId())).isEmpty());

        List<String> ids = requests.stream().map(AnchorRequest::recordId).toList();
        Map<String, Integer> leaves = Pipeline.leafOccurrences();
        Map<String, Long> accepted = countByRecord(EventTypes.RECORD_ACCEPTED, ids);
        Map<String, Long> anchoredCount = countByRecord(EventTypes.RECORD_ANCHORED, ids);
        Map<String, Event> anchored = Pipeline.anchored(ids);
        for (AnchorRequest r : requests) {
            assertEquals(1, leaves.getOrDefault(r.digest(), 0), "leaves on the leaves topic for " + r.recordId());
            assertEquals(1L, accepted.get(r.recordId()), "record.accepted events for " + r.recordId());
            assertEquals(1L, anchoredCount.get(r.recordId()), "record.anchored events for " + r.recordId());
            assertEquals(chain.indexOf(r.digest()), anchored.get(r.recordId()).data().path("leafIndex").asLong(),
                    "leaf index of " + r.recordId());
        }
    }

    @Test
    void aRepeatThatReachesTheLedgerAnywayIsSkippedThereAndGetsNoSecondAnchoredEvent() throws Exception {
        ChainFixture chain = AttestTestResource.chain();
        String tenant = Pipeline.newTenant("skip");
        AnchorRequest first = Pipeline.request(tenant);
        Pipeline.anchor(List.of(first));
        awaitAnchored(List.of(first));
        // As another attest replica (or this one after a restart, its recent ids forgotten) would publish it:
        // one leaf batch repeating the anchored record between two new ones.
        AnchorRequest before = Pipeline.request(tenant);
        AnchorRequest after = Pipeline.request(tenant);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafkaBootstrap()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(LeafBatches.record(ChainFixture.LEAVES_TOPIC, List.of(before, first, after))).get();
        }
        awaitAnchored(List.of(before, after));

        Map<String, Event> anchored = Pipeline.anchored(List.of(before.recordId(), after.recordId()));
        assertEquals(chain.indexOf(before.digest()), anchored.get(before.recordId()).data().path("leafIndex").asLong());
        assertEquals(chain.indexOf(after.digest()), anchored.get(after.recordId()).data().path("leafIndex").asLong());
        assertEquals(chain.indexOf(before.digest()) + 1, chain.indexOf(after.digest()), "the repeat took no leaf");
        assertEquals(Map.of(first.recordId(), 1L), countByRecord(EventTypes.RECORD_ANCHORED, List.of(first.recordId())));
        Receipt receipt = ReceiptJson.read(Json.MAPPER.writeValueAsBytes(anchored.get(after.recordId()).data().path("receipt")));
        assertEquals(chain.indexOf(after.digest()).longValue(), receipt.leafIndex());
        List<ReceiptCheck> checks = ReceiptVerifier.verify(receipt, new VerificationPolicy(ChainFixture.ORIGIN,
                VerifierSet.parse(List.of(chain.verifierKeys())), 2, List.of(chain.tsa.certificate), true));
        assertEquals(List.of(), checks.stream().filter(ReceiptCheck::failed).toList(), "receipt of the record after the repeat");
    }

    @Test
    void anAnchorRequestThatBreaksTheContractIsDeadLetteredWithItsReasonWhileTheRestOfItsPollIsAnchored() {
        try (LogCapture log = LogCapture.of(LeafLoop.class)) {
            double countedBefore = deadLettered("product.batch", "anchor-request.digest");
            String poisonId = deadLetterPoisonBetweenValidRequests();
            List<LogCapture.Line> lines = log.lines(l -> l.message().contains("dead-lettered")
                    && poisonId.equals(l.mdc().get("recordId")));
            assertEquals(1, lines.size(), "one line under the poison's record id: " + log.lines(l -> true));
            assertTrue(lines.get(0).mdc().get("tenant").startsWith("poison-"), lines.get(0).mdc().toString());
            assertTrue(lines.get(0).mdc().get("kafkaPosition").startsWith(Pipeline.ANCHOR_REQUESTS + "/0/"),
                    lines.get(0).mdc().toString());
            assertTrue(deadLettered("product.batch", "anchor-request.digest") >= countedBefore + 1,
                    "tracemark_attest_dead_lettered_records_total{type=product.batch,reason=anchor-request.digest} moved");
        }
    }

    /** The scraped count of anchor requests dead-lettered with {@code type} and {@code reason}, 0 if not exported yet. */
    private static double deadLettered(String type, String reason) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("tracemark_attest_dead_lettered_records_total{")
                        && l.contains("type=\"" + type + "\"") && l.contains("reason=\"" + reason + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /**
     * Sends three poison requests between two valid ones, checks each is parked with its reason and the valid ones
     * anchored, and returns the record id the first poison (a digest in upper case) names.
     */
    private String deadLetterPoisonBetweenValidRequests() {
        String tenant = Pipeline.newTenant("poison");
        AnchorRequest before = Pipeline.request(tenant);
        AnchorRequest after = Pipeline.request(tenant);
        String poisonId = Pipeline.newRecordId();
        String uppercaseDigest = "{\"recordId\":\"" + poisonId + "\",\"tenant\":\"" + tenant
                + "\",\"type\":\"product.batch\",\"digest\":\"" + Pipeline.sha256("x").toUpperCase()
                + "\",\"acceptedAt\":\"2026-01-01T00:00:00Z\"}";
        String noTenant = "{\"recordId\":\"" + Pipeline.newRecordId() + "\",\"type\":\"product.batch\",\"digest\":\""
                + Pipeline.sha256("y") + "\",\"acceptedAt\":\"2026-01-01T00:00:00Z\"}";
        String notJson = "anchor this please";
        String keyPrefix = "bad-" + tenant + "-";
        // One partition, one send: the poison sits between valid requests of the same poll (or polls in order).
        List<RecordMetadata> sent = Pipeline.send(List.of(
                Pipeline.Message.anchor(0, before),
                Pipeline.Message.raw(Pipeline.ANCHOR_REQUESTS, 0, keyPrefix + "digest", uppercaseDigest.getBytes(StandardCharsets.UTF_8)),
                Pipeline.Message.raw(Pipeline.ANCHOR_REQUESTS, 0, keyPrefix + "tenant", noTenant.getBytes(StandardCharsets.UTF_8)),
                Pipeline.Message.raw(Pipeline.ANCHOR_REQUESTS, 0, keyPrefix + "json", notJson.getBytes(StandardCharsets.UTF_8)),
                Pipeline.Message.anchor(0, after)));

        awaitAnchored(List.of(before, after));
        List<ConsumerRecord<byte[], byte[]>> parked = new ArrayList<>();
        await().atMost(ANCHORING).until(() -> {
            parked.clear();
            Pipeline.readAll(Pipeline.ANCHOR_REQUESTS_DLQ).stream()
                    .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).startsWith(keyPrefix))
                    .forEach(parked::add);
            return parked.size() == 3;
        });
        Map<String, ConsumerRecord<byte[], byte[]>> byKey = new TreeMap<>();
        parked.forEach(r -> byKey.put(new String(r.key(), StandardCharsets.UTF_8).substring(keyPrefix.length()), r));
        assertEquals(Set.of("digest", "tenant", "json"), byKey.keySet());
        assertEquals("anchor-request.digest", Pipeline.header(byKey.get("digest"), "tracemark-problem-code"));
        assertEquals("anchor-request.tenant", Pipeline.header(byKey.get("tenant"), "tracemark-problem-code"));
        assertEquals("anchor-request.json", Pipeline.header(byKey.get("json"), "tracemark-problem-code"));
        assertTrue(Pipeline.header(byKey.get("digest"), "tracemark-problem").contains("64 lowercase hex"),
                Pipeline.header(byKey.get("digest"), "tracemark-problem"));
        assertTrue(Pipeline.header(byKey.get("tenant"), "tracemark-problem").contains("tenant is required"),
                Pipeline.header(byKey.get("tenant"), "tracemark-problem"));
        assertArrayEquals(uppercaseDigest.getBytes(StandardCharsets.UTF_8), byKey.get("digest").value(), "parked as read");
        assertArrayEquals(notJson.getBytes(StandardCharsets.UTF_8), byKey.get("json").value(), "parked as read");
        assertEquals(Pipeline.ANCHOR_REQUESTS + "/0/" + sent.get(1).offset(), Pipeline.header(byKey.get("digest"), "tracemark-source"));
        // Nothing of the poison reached the ledger or the events.
        assertEquals(0, Pipeline.leafOccurrences().getOrDefault(Pipeline.sha256("y"), 0));
        assertTrue(Pipeline.events(e -> e.tenant().equals(tenant) && e.type().equals(EventTypes.RECORD_ACCEPTED)).stream()
                .allMatch(e -> Set.of(before.recordId(), after.recordId()).contains(e.event().data().path("recordId").asText())));
        return poisonId;
    }

    @Test
    void anchoringLatencyIsExportedAsAHistogramWithoutClientSideQuantiles() {
        AnchorRequest r = Pipeline.request(Pipeline.newTenant("latency"));
        Pipeline.anchor(List.of(r));
        awaitAnchored(List.of(r));
        // Quantiles come from the buckets, over the window a query picks; client-side ones decayed to 0.0 when idle.
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("# TYPE tracemark_anchoring_latency_seconds histogram"))
                .body(containsString("tracemark_anchoring_latency_seconds_bucket{le=\"+Inf\""))
                .body(not(containsString("tracemark_anchoring_latency_seconds{quantile=")))
                .body(not(containsString("tracemark_attest_anchoring_step_seconds{step=\"commit\",quantile=")));
    }

    /** Document counts of every collection of the test database. */
    private Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        for (String name : db().listCollectionNames()) {
            out.put(name, db().getCollection(name).countDocuments());
        }
        return out;
    }

    /** Documents of one tenant in the webhook collections (the only per-event ones attest writes, for subscribers). */
    private long webhookDocumentsOf(String tenant) {
        long n = 0;
        for (String name : db().listCollectionNames()) {
            if (name.startsWith("webhook_")) {
                n += db().getCollection(name).countDocuments(Filters.eq("tenant", tenant));
            }
        }
        return n;
    }

    @Test
    void anchoringManyRecordsWritesOneBlockFactAndNoPerRecordDocument() {
        ChainFixture chain = AttestTestResource.chain();
        String tenant = Pipeline.newTenant("writes");
        // Settle: every block the chain sealed so far is anchored, so only this test's block moves the store.
        AnchorRequest warmUp = Pipeline.storeProductBatch(db(), tenant, "04006381333931");
        Pipeline.anchor(List.of(warmUp));
        awaitAnchored(List.of(warmUp));
        await().atMost(ANCHORING).until(() -> anchoring.lastAnchoredHeight() == chain.sealedBlocks() - 1);

        // The records as ingest stores them, before the snapshot: attest only reads them.
        List<AnchorRequest> requests = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            requests.add(Pipeline.storeProductBatch(db(), tenant, "04006381333931"));
        }
        Map<String, Long> before = counts();
        long blocksBefore = before.getOrDefault("blocks", 0L);
        long webhookBefore = webhookDocumentsOf(tenant);

        chain.sealing(false);
        try {
            Pipeline.anchor(requests);
            // All leaves on the ledger before the chain seals again: the 40 records end up in one block.
            await().atMost(ANCHORING).until(() -> requests.stream().allMatch(r -> chain.indexOf(r.digest()) != null));
        } finally {
            chain.sealing(true);
        }
        awaitAnchored(requests);
        Map<String, Event> anchored = Pipeline.anchored(requests.stream().map(AnchorRequest::recordId).toList());
        Set<Long> heights = new HashSet<>();
        anchored.values().forEach(e -> heights.add(e.data().path("blockHeight").asLong()));
        assertEquals(1, heights.size(), "one block for the 40 records: " + heights);
        long height = heights.iterator().next();

        Map<String, Long> after = counts();
        assertEquals(blocksBefore + 1, after.get("blocks"), "one per-block fact for the block");
        Document fact = db().getCollection("blocks").find(Filters.eq("_id", height)).first();
        assertNotNull(fact, "the block's fact is recorded under its height");
        assertEquals(40L, fact.get("leafCount", Number.class).longValue());
        for (String name : after.keySet()) {
            if (name.equals("blocks") || name.startsWith("webhook_")) {
                continue;
            }
            assertEquals(before.getOrDefault(name, 0L), after.get(name), "documents in " + name + " after anchoring 40 records");
        }
        assertEquals(webhookBefore, webhookDocumentsOf(tenant), "webhook documents of a tenant without subscriptions");
    }
}
