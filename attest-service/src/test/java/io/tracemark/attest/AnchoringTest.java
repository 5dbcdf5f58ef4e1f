package io.tracemark.attest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.attest.anchoring.AnchorRequest;
import io.tracemark.attest.anchoring.AnchorStore;
import io.tracemark.attest.anchoring.LeafBatcher;
import io.tracemark.attest.anchoring.LeafPublisher;
import io.tracemark.testsupport.KafkaTestClient;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(AttestTestResource.class)
class AnchoringTest {
    @Inject
    AnchorStore store;
    @Inject
    LeafPublisher leaves;
    @Inject
    LeafBatcher batcher;

    static String digest(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes()));
    }

    static String request(String id, String tenant, String digest) {
        return "{\"recordId\":\"" + id + "\",\"tenant\":\"" + tenant + "\",\"type\":\"product.batch\",\"digest\":\""
                + digest + "\",\"acceptedAt\":\"" + Instant.now() + "\"}";
    }

    private void awaitAnchored(List<String> ids) {
        await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id ->
                store.find(id).map(d -> AnchorStore.ANCHORED.equals(d.getString("state"))).orElse(false)));
    }

    @Test
    void redeliveredRequestsGetExactlyOneLeafEach() throws Exception {
        ChainFixture chain = AttestTestResource.chain();
        List<String> ids = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            for (int i = 0; i < 30; i++) {
                String id = "rec-" + UUID.randomUUID();
                ids.add(id);
                digests.add(digest(id));
            }
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < ids.size(); i++) {
                    kafka.send("tracemark.anchor-requests", ids.get(i), request(ids.get(i), "acme", digests.get(i)));
                }
            }
            awaitAnchored(ids);
            // A redelivery after anchoring must not start the record over either.
            kafka.send("tracemark.anchor-requests", ids.get(0), request(ids.get(0), "acme", digests.get(0)));
            Thread.sleep(500);
        }
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(1, chain.leafCount(digests.get(i)), "leaves for " + ids.get(i));
            Document a = store.find(ids.get(i)).orElseThrow();
            assertEquals(chain.indexOf(digests.get(i)), a.get("leafIndex", Number.class).longValue());
            assertEquals(AnchorStore.ANCHORED, a.getString("state"));
        }
    }

    @Test
    void crashAfterPublishingBeforeRecordingDoesNotPublishAgain() throws Exception {
        ChainFixture chain = AttestTestResource.chain();
        List<AnchorRequest> reqs = requests(5);
        store.register(reqs);
        String batchId = UUID.randomUUID().toString();
        long scanFrom = store.lastRecordedOffset() + 1;
        store.writeIntent(batchId, reqs, scanFrom);
        long offset = leaves.publish(batchId, reqs.stream().map(AnchorRequest::digest).toList());
        // The process dies here: the batch is on the topic but attest never wrote its offset.
        batcher.recover();
        assertEquals(batchId, store.batchAt(offset).orElseThrow().batchId());
        awaitAnchored(reqs.stream().map(AnchorRequest::recordId).toList());
        for (AnchorRequest r : reqs) {
            assertEquals(1, chain.leafCount(r.digest()));
        }
    }

    @Test
    void crashAfterIntentBeforePublishingPublishesExactlyOnce() throws Exception {
        ChainFixture chain = AttestTestResource.chain();
        List<AnchorRequest> reqs = requests(4);
        store.register(reqs);
        store.writeIntent(UUID.randomUUID().toString(), reqs, store.lastRecordedOffset() + 1);
        // The process dies here: intent written, nothing on the topic yet.
        batcher.recover();
        awaitAnchored(reqs.stream().map(AnchorRequest::recordId).toList());
        batcher.recover();
        Thread.sleep(300);
        for (AnchorRequest r : reqs) {
            assertEquals(1, chain.leafCount(r.digest()));
        }
    }

    @Test
    void pendingRecordsLeftByAStopAreBatchedAfterRecovery() throws Exception {
        ChainFixture chain = AttestTestResource.chain();
        List<AnchorRequest> reqs = requests(3);
        // Registered (consumer offsets committed) but never handed to a batcher before the stop.
        store.register(reqs);
        batcher.recover();
        awaitAnchored(reqs.stream().map(AnchorRequest::recordId).toList());
        for (AnchorRequest r : reqs) {
            assertEquals(1, chain.leafCount(r.digest()));
        }
    }

    @Test
    void anchoringLatencyIsExportedWithPercentiles() throws Exception {
        List<AnchorRequest> reqs = requests(1);
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send("tracemark.anchor-requests", reqs.get(0).recordId(),
                    request(reqs.get(0).recordId(), "acme", reqs.get(0).digest()));
        }
        awaitAnchored(List.of(reqs.get(0).recordId()));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("tracemark_anchoring_latency_seconds{quantile=\"0.99\"}"))
                .body(containsString("tracemark_anchoring_latency_seconds{quantile=\"0.5\"}"));
    }

    static List<AnchorRequest> requests(int n) throws Exception {
        List<AnchorRequest> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "rec-" + UUID.randomUUID();
            out.add(new AnchorRequest(id, "acme", "product.batch", digest(id), Instant.now(), null));
        }
        assertTrue(out.size() == n);
        return out;
    }
}
