package io.tracemark.attest.health;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.tracemark.attest.AttestTestResource;
import io.tracemark.attest.ChainFixture;
import io.tracemark.attest.anchoring.AnchorStore;
import io.tracemark.testsupport.FaultProxy;
import io.tracemark.testsupport.KafkaTestClient;
import io.tracemark.testsupport.MongoFaultResource;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Attest's readiness under backpressure: MongoDB down or hung behind a {@link FaultProxy}, and a chain
 * that stops sealing ({@link ChainFixture#sealing}) while leaves keep arriving. Readiness turns DOWN and
 * back; liveness stays UP; the records submitted during the stall are anchored once the chain moves.
 */
@QuarkusTest
@TestProfile(AnchoringOutageProfile.class)
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(AttestTestResource.class)
@QuarkusTestResource(value = MongoFaultResource.class, restrictToAnnotatedClass = true)
class AnchoringReadinessTest {
    private static final String READY = "/q/health/ready";
    private static final String CHECK = "checks.find { it.name == 'tracemark-anchoring' }";
    /** No probe may take longer than this: the store timeouts of the profile are 1 to 3 s. */
    private static final int HANG_LIMIT_MILLIS = 20_000;

    @Inject
    AnchorStore store;
    FaultProxy proxy;

    @BeforeEach
    void allUp() {
        proxy = MongoFaultResource.proxy();
        proxy.up();
        AttestTestResource.chain().sealing(true);
        RestAssured.config = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", HANG_LIMIT_MILLIS)
                .setParam("http.connection.timeout", HANG_LIMIT_MILLIS));
        awaitReady(200);
    }

    @AfterEach
    void restore() {
        proxy.up();
        AttestTestResource.chain().sealing(true);
        RestAssured.reset();
    }

    private static void awaitReady(int status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().get(READY).statusCode() == status);
    }

    private static long timed(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void readinessTurnsDownWhileMongoIsUnreachableAndRecovers() {
        proxy.down();
        awaitReady(503);
        given().get(READY).then().statusCode(503).body(CHECK + ".data.mongo", equalTo("DOWN"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        long recovery = timed(() -> {
            proxy.up();
            awaitReady(200);
        });
        given().get(READY).then().body(CHECK + ".data.mongo", equalTo("UP"));
        System.out.printf("[backpressure] attest, mongo down: readiness 503, liveness 200; ready %d ms after up%n", recovery);
    }

    @Test
    void readinessAnswersDownWithinTheStoreTimeoutsWhileMongoHangs() {
        proxy.blackhole();
        Response[] ready = new Response[1];
        long took = timed(() -> ready[0] = given().get(READY));
        ready[0].then().statusCode(503).body(CHECK + ".data.mongo", equalTo("DOWN"));
        given().get("/q/health/live").then().statusCode(200);
        long recovery = timed(() -> {
            proxy.up();
            awaitReady(200);
        });
        System.out.printf("[backpressure] attest, mongo hung: readiness 503 in %d ms; ready %d ms after up%n", took, recovery);
    }

    @Test
    void readinessTurnsDownWhenLeavesWaitLongerThanTheAnchoringLagAndRecoversWhenBlocksResume() throws Exception {
        ChainFixture chain = AttestTestResource.chain();
        List<String> ids = new ArrayList<>();
        chain.sealing(false);
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            for (int i = 0; i < 5; i++) {
                String id = "stall-" + UUID.randomUUID();
                ids.add(id);
                String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes()));
                kafka.send("tracemark.anchor-requests", id, "{\"recordId\":\"" + id + "\",\"tenant\":\"acme\",\"type\":"
                        + "\"product.batch\",\"digest\":\"" + digest + "\",\"acceptedAt\":\"" + Instant.now() + "\"}");
            }
        }
        // On the leaves topic (read by the fixture) but not sealed: still pending in the store.
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> chain.leafCount(sha256(id)) == 1));
        ids.forEach(id -> assertEquals(AnchorStore.PENDING, state(id)));
        long stalledAfter = timed(() -> awaitReady(503));
        given().get(READY).then().statusCode(503)
                .body(CHECK + ".data.chain", equalTo("STALLED"))
                .body(CHECK + ".data.mongo", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);

        long recovery = timed(() -> {
            chain.sealing(true);
            await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> state(id).equals(AnchorStore.ANCHORED)));
            awaitReady(200);
        });
        given().get(READY).then().body(CHECK + ".data.chain", equalTo("SEALING"));
        System.out.printf("[backpressure] attest, chain stalled: readiness 503 %d ms after leaves submitted; "
                + "anchored and ready %d ms after sealing resumed%n", stalledAfter, recovery);
    }

    private String state(String id) {
        return store.find(id).map(d -> d.getString("state")).orElse("absent");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
