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
import io.tracemark.attest.Pipeline;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.testsupport.FaultProxy;
import io.tracemark.testsupport.MongoFaultResource;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

    FaultProxy proxy;
    @Inject
    ChainProgress progress;
    @Inject
    Scheduler scheduler;

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
    void theChainIsProbedOnTheSchedulerAtTheConfiguredInterval() {
        Trigger job = scheduler.getScheduledJob("chain-progress");
        assertNotNull(job, "no scheduled job chain-progress: " + scheduler.getScheduledJobs());
        java.time.Instant since = java.time.Instant.now();
        await().atMost(Duration.ofSeconds(15)).until(() -> progress.last().filter(s -> s.probedAt().isAfter(since)).isPresent());
        // The profile sets 1 s, the default is 5 s: each probe is due one interval after the previous one.
        await().atMost(Duration.ofSeconds(15)).until(() -> job.getPreviousFireTime() != null
                && Duration.between(job.getPreviousFireTime(), job.getNextFireTime()).equals(Duration.ofSeconds(1)));
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
    void readinessTurnsDownWhenLeavesWaitLongerThanTheAnchoringLagAndRecoversWhenBlocksResume() {
        ChainFixture chain = AttestTestResource.chain();
        List<AnchorRequest> requests = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            requests.add(Pipeline.request("stall"));
        }
        List<String> ids = requests.stream().map(AnchorRequest::recordId).toList();
        chain.sealing(false);
        Pipeline.anchor(requests);
        // On the leaves topic (read by the chain) but not sealed: not anchored.
        await().atMost(Duration.ofSeconds(30)).until(() -> requests.stream().allMatch(r -> chain.indexOf(r.digest()) != null));
        long stalledAfter = timed(() -> awaitReady(503));
        given().get(READY).then().statusCode(503)
                .body(CHECK + ".data.chain", equalTo("STALLED"))
                .body(CHECK + ".data.mongo", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        assertEquals(Map.of(), Pipeline.anchored(ids), "nothing is anchored while the chain does not seal");

        long recovery = timed(() -> {
            chain.sealing(true);
            await().atMost(Duration.ofSeconds(60)).until(() -> Pipeline.anchored(ids).size() == ids.size());
            awaitReady(200);
        });
        given().get(READY).then().body(CHECK + ".data.chain", equalTo("SEALING"));
        System.out.printf("[backpressure] attest, chain stalled: readiness 503 %d ms after leaves submitted; "
                + "anchored and ready %d ms after sealing resumed%n", stalledAfter, recovery);
    }

    @Test
    void anchoringRetriesWhileMongoIsDownObservablyAndAnchorsEveryRecordOnceItIsBack() {
        List<AnchorRequest> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(Pipeline.request("store-outage"));
        }
        List<String> ids = requests.stream().map(AnchorRequest::recordId).toList();
        double failuresBefore = scraped("tracemark_attest_stage_failures_total{", "stage=\"anchoring\"");
        double retriesBefore = scraped("ft_retry_retries_total{", "method=\"attest-anchoring\"");
        proxy.down();
        Pipeline.anchor(requests);
        // The block's fact cannot be written: the step fails, is counted, shown, and retried with backoff.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                scraped("tracemark_attest_stage_failures_total{", "stage=\"anchoring\"") >= failuresBefore + 2
                        && scraped("ft_retry_retries_total{", "method=\"attest-anchoring\"") >= retriesBefore + 2);
        given().get(READY).then().statusCode(503).body(CHECK + ".data.anchoringFailingSince", org.hamcrest.Matchers.notNullValue());
        assertEquals(Map.of(), Pipeline.anchored(ids), "nothing is anchored while the store is down");

        proxy.up();
        await().atMost(Duration.ofSeconds(60)).until(() -> Pipeline.anchored(ids).size() == ids.size());
        awaitReady(200);
        given().get(READY).then().body(CHECK + ".data.anchoringFailingSince", org.hamcrest.Matchers.nullValue());
    }

    /** The sum of the scraped samples whose line starts with {@code prefix} and carries {@code label}, 0 if none. */
    private static double scraped(String prefix, String label) {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith(prefix) && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
