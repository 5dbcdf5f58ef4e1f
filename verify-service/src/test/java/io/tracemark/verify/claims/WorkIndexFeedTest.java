package io.tracemark.verify.claims;

import com.mongodb.client.MongoClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.anchor.AnchorRequestCodec;
import io.tracemark.proofs.media.PerceptualHash;
import io.tracemark.testsupport.KafkaTestClient;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.verify.fixtures.LoopbackChainNode;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import io.tracemark.verify.fixtures.Registry;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The claim index learns of works from ingest's anchor requests, skips poison, and is rebuilt from the store. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class WorkIndexFeedTest {
    @Inject
    MongoClient mongo;
    @Inject
    WorkIndexFeed feed;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;
    @ConfigProperty(name = "tracemark.topics.anchor-requests")
    String topic;

    private final Random rnd = new Random();

    @Test
    void aPoisonRequestIsSkippedAndCountedAndTheWorksAfterItAreStillFound() {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send(topic, "poison-1", "{\"recordId\":\"x\",\"tenant\":\"t\"}".getBytes(StandardCharsets.UTF_8), Map.of());
            kafka.send(topic, "poison-2", "not json".getBytes(StandardCharsets.UTF_8), Map.of());
        }
        Registry registry = new Registry(mongo, database, LoopbackChainNode.shared());
        long phash = rnd.nextLong();
        Registry.Stored work = registry.register("alice", "media.work", Map.of("title", "after the poison"),
                keys(sha(), phash), Instant.now());
        claim(phash ^ 0b11).body("nearDuplicates.recordId", hasItem(work.id()))
                .body("nearDuplicates.find { it.recordId == '" + work.id() + "' }.distance", equalTo(2));
        // Keyed differently, the poison may sit on other partitions than the work: read the counters once both are in.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            return metrics.contains("tracemark_verify_claims_index_skipped_total{reason=\"anchor-request.type\"}")
                    && metrics.contains("tracemark_verify_claims_index_skipped_total{reason=\"anchor-request.json\"}");
        });
    }

    @Test
    void worksStoredWithoutARequestAreFoundAfterARebuildAndOthersAreNot() throws Exception {
        long phash = rnd.nextLong();
        String id = Registry.ulid(Instant.now());
        String sha = sha();
        // Written straight to the store, as a bulk restore would: the index cannot know of it until it is rebuilt.
        mongo.getDatabase(database).getCollection("records").insertOne(new Document("_id", id).append("tenant", "bulk")
                .append("type", "media.work").append("digest", sha()).append("receivedAt", new Date())
                .append("status", "accepted").append("keys", keys(sha, phash)));
        claim(phash).body("nearDuplicates.recordId", not(hasItem(id)));
        Duration took = feed.rebuild().get(30, TimeUnit.SECONDS);
        assertTrue(took.toMillis() < 30_000);
        claim(phash).body("nearDuplicates.recordId", hasItem(id));
        given().get("/v1/records?sha256=" + sha).then().statusCode(200).body("registrations.recordId", equalTo(List.of(id)));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'claims-index' }.status", equalTo("UP"));
    }

    @Test
    void aWorkAnnouncedTwiceIsListedOnce() {
        Registry registry = new Registry(mongo, database, LoopbackChainNode.shared());
        long phash = rnd.nextLong();
        Registry.Stored work = registry.register("alice", "media.work", Map.of("title", "twice"), keys(sha(), phash), Instant.now());
        AnchorRequest again = new AnchorRequest(work.id(), "alice", "media.work", work.digest(), Instant.now(), List.of(),
                new AnchorRequest.Work(work.keys().getString("sha256"), PerceptualHash.hex(phash)));
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send(topic, work.id(), AnchorRequestCodec.encode(again), Map.of());
        }
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> given().contentType(ContentType.JSON)
                .body("{\"phash\":\"" + PerceptualHash.hex(phash) + "\"}").post("/v1/claims/verify").then().statusCode(200)
                .extract().jsonPath().getList("nearDuplicates.recordId").stream().filter(work.id()::equals).count() == 1);
    }

    private io.restassured.response.ValidatableResponse claim(long phash) {
        return given().contentType(ContentType.JSON).body("{\"phash\":\"" + PerceptualHash.hex(phash) + "\",\"threshold\":10}")
                .post("/v1/claims/verify").then().statusCode(200);
    }

    private static Document keys(String sha, long phash) {
        return new Document("sha256", sha).append("phash", PerceptualHash.hex(phash))
                .append("phashChunks", Registry.phashChunks(phash));
    }

    private String sha() {
        return String.format("%016x%016x%016x%016x", rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
    }
}
