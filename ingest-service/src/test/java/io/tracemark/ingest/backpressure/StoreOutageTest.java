package io.tracemark.ingest.backpressure;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.FaultProxy;
import io.tracemark.testsupport.KafkaTestClient;
import io.tracemark.testsupport.MongoFaultResource;
import io.tracemark.testsupport.SharedInfra;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.ingest.tenants.TenantDirectory;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.tracemark.ingest.health.IntakeLag;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MongoDB down (connections reset and refused) or hung (connections accepted, never answered) behind a
 * {@link FaultProxy} while Kafka stays up: readiness turns DOWN and back, liveness stays UP, writes get a
 * retriable 503 within the store timeouts, and Kafka intake waits instead of dead-lettering or losing.
 */
@QuarkusTest
@TestProfile(StoreOutageProfile.class)
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(value = MongoFaultResource.class, restrictToAnnotatedClass = true)
class StoreOutageTest {
    private static final String READY = "/q/health/ready";
    /** No answer may take longer than this: the store timeouts of the profile are 1 to 3 s. */
    private static final int HANG_LIMIT_MILLIS = 20_000;
    private static final String BATCH = "{\"gtin\":\"4006381333931\",\"lot\":\"%s\"}";
    private static MongoClient direct;

    @Inject
    ApiKeyStore keys;
    @Inject
    TenantDirectory tenants;
    @Inject
    IntakeLag intakeLag;
    @Inject
    Scheduler scheduler;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    FaultProxy proxy;

    @BeforeEach
    void proxyUp() {
        proxy = MongoFaultResource.proxy();
        proxy.up();
        RestAssured.config = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", HANG_LIMIT_MILLIS)
                .setParam("http.connection.timeout", HANG_LIMIT_MILLIS));
        awaitReady(200);
    }

    @AfterEach
    void restore() {
        proxy.up();
        RestAssured.reset();
    }

    @AfterAll
    static void closeDirect() {
        if (direct != null) {
            direct.close();
        }
    }

    /** The store seen without the proxy, to check what was (not) written during an outage. */
    private MongoCollection<Document> records() {
        synchronized (StoreOutageTest.class) {
            if (direct == null) {
                direct = MongoClients.create(SharedInfra.mongoConnectionString());
            }
        }
        return direct.getDatabase(database).getCollection("records");
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
    void theIntakeLagIsMeasuredOnTheSchedulerAtTheConfiguredInterval() {
        Trigger job = scheduler.getScheduledJob("intake-lag");
        assertNotNull(job, "no scheduled job intake-lag: " + scheduler.getScheduledJobs());
        await().atMost(Duration.ofSeconds(15)).until(() -> intakeLag.measurements() > 0);
        // The profile sets 1 s, the default is 5 s: each run is due one interval after the previous one.
        await().atMost(Duration.ofSeconds(15)).until(() -> job.getPreviousFireTime() != null
                && Duration.between(job.getPreviousFireTime(), job.getNextFireTime()).equals(Duration.ofSeconds(1)));
    }

    @Test
    void readinessTurnsDownWhileMongoIsUnreachableAndRecovers() {
        assertTrue(proxy.acceptedConnections() > 0, "the application reaches MongoDB through the proxy");
        proxy.down();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().get(READY).statusCode() == 503);
        given().get(READY).then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'tracemark-intake' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'tracemark-intake' }.data.mongo", equalTo("DOWN"));
        // A dependency outage must not get the replica restarted.
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));

        long recovery = timed(() -> {
            proxy.up();
            awaitReady(200);
        });
        given().get(READY).then().statusCode(200)
                .body("checks.find { it.name == 'tracemark-intake' }.data.mongo", equalTo("UP"));
        System.out.printf("[backpressure] mongo down: readiness 503, liveness 200; ready again %d ms after up%n", recovery);
    }

    @Test
    void readinessAnswersDownWithinItsTimeoutWhileMongoHangs() {
        proxy.blackhole();
        Response[] ready = new Response[1];
        long took = timed(() -> ready[0] = given().get(READY));
        ready[0].then().statusCode(503)
                .body("checks.find { it.name == 'tracemark-intake' }.data.mongo", equalTo("DOWN"));
        given().get("/q/health/live").then().statusCode(200);
        long recovery = timed(() -> {
            proxy.up();
            awaitReady(200);
        });
        System.out.printf("[backpressure] mongo hung: readiness 503 in %d ms; ready again %d ms after up%n", took, recovery);
    }

    private Response postBatch(String apiKey, String idempotencyKey, String lot) {
        return given().header("Authorization", "Bearer " + apiKey).header("Idempotency-Key", idempotencyKey)
                .contentType(ContentType.JSON).body(BATCH.formatted(lot)).post("/v1/products/batches");
    }

    private static void assertStoreUnavailable(Response r) {
        r.then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", StoreOutageProfile.RETRY_AFTER_SECONDS)
                .body("type", equalTo("https://tracemark.dev/problems/store-unavailable"))
                .body("status", equalTo(503))
                .body("retriable", equalTo(true));
    }

    /**
     * Recovery: the same request under the same key yields one record, and a further retry the same one (200).
     * {@code mayHaveLanded}: the failed attempt's write may have reached the store after the client gave up
     * (a hung connection delivers what it held once the network recovers), so the first retry may find it (200).
     */
    private void assertStoredOnceAfterRecovery(String apiKey, String tenant, String key, String lot, boolean mayHaveLanded) {
        awaitReady(200);
        Response retry = postBatch(apiKey, key, lot);
        if (mayHaveLanded) {
            retry.then().statusCode(anyOf(equalTo(201), equalTo(200)));
        } else {
            retry.then().statusCode(201);
        }
        String id = retry.path("id");
        postBatch(apiKey, key, lot).then().statusCode(200).body("id", equalTo(id));
        assertEquals(1, records().countDocuments(Filters.and(Filters.eq("tenant", tenant), Filters.eq("idempotencyKey", key))));
    }

    @Test
    void httpWritesGet503RetriableProblemWhileMongoIsDown() {
        String tenant = "down-" + UUID.randomUUID().toString().substring(0, 8);
        String apiKey = keys.issue(tenant, EnumSet.of(Role.READ, Role.WRITE)).apiKey();
        String key = "http-" + UUID.randomUUID();
        proxy.down();
        Response[] during = new Response[2];
        // The first request authenticates against the store (the key is not cached yet); the second, within the
        // cache lifetime, gets as far as the record write. Both must be the same retriable answer.
        long first = timed(() -> during[0] = postBatch(apiKey, key, "LOT-DOWN"));
        long second = timed(() -> during[1] = postBatch(apiKey, key, "LOT-DOWN"));
        assertStoreUnavailable(during[0]);
        assertStoreUnavailable(during[1]);
        assertEquals(0, records().countDocuments(Filters.eq("tenant", tenant)), "nothing stored while the store is down");
        proxy.up();
        assertStoredOnceAfterRecovery(apiKey, tenant, key, "LOT-DOWN", false);
        System.out.printf("[backpressure] mongo down: POST answered 503 in %d ms and %d ms%n", first, second);
    }

    @Test
    void httpWritesGet503WithinTheStoreTimeoutsWhileMongoHangs() {
        String tenant = "hung-" + UUID.randomUUID().toString().substring(0, 8);
        String apiKey = keys.issue(tenant, EnumSet.of(Role.READ, Role.WRITE)).apiKey();
        String key = "http-" + UUID.randomUUID();
        postBatch(apiKey, "warm-" + key, "LOT-WARM").then().statusCode(201);
        proxy.blackhole();
        Response[] during = new Response[1];
        long took = timed(() -> during[0] = postBatch(apiKey, key, "LOT-HUNG"));
        assertStoreUnavailable(during[0]);
        proxy.up();
        System.out.printf("[backpressure] mongo hung: POST answered 503 in %d ms%n", took);
        assertStoredOnceAfterRecovery(apiKey, tenant, key, "LOT-HUNG", true);
    }

    private static String envelope(String key, String lot) {
        return "{\"type\":\"product.batch\",\"idempotencyKey\":\"" + key + "\",\"payload\":" + BATCH.formatted(lot) + "}";
    }

    private static long lagGauge() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("tracemark_ingest_kafka_lag")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("gauge tracemark_ingest_kafka_lag is not exported on /q/metrics");
    }

    @Test
    void kafkaRecordsPublishedDuringMongoOutageAreAllStoredAfterRecovery() {
        String tenant = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        tenants.register(tenant);
        int n = 40;
        await().atMost(Duration.ofSeconds(30)).until(() -> lagGauge() == 0);
        proxy.down();
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            for (int i = 0; i < n; i++) {
                kafka.send("tracemark.records", null, envelope("k-" + i, "L-" + i), Map.of("tracemark-tenant", tenant));
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> lagGauge() >= n);
            // The consumer is retrying its batch, not dead-lettering it.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
                Response r = given().get(READY);
                return r.statusCode() == 503 && r.path("checks.find { it.name == 'tracemark-intake' }.data.intakeFailingSince") != null;
            });
            long lagDuring = lagGauge();
            assertEquals(0, records().countDocuments(Filters.eq("tenant", tenant)));

            long drained = timed(() -> {
                proxy.up();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                        .until(() -> records().countDocuments(Filters.eq("tenant", tenant)) >= n);
            });
            List<Document> stored = records().find(Filters.eq("tenant", tenant)).into(new ArrayList<>());
            assertEquals(n, stored.size(), "every record stored exactly once");
            Set<String> storedKeys = new HashSet<>();
            Set<String> ids = new HashSet<>();
            stored.forEach(d -> {
                storedKeys.add(d.getString("idempotencyKey"));
                ids.add(d.getString("_id"));
            });
            assertEquals(n, storedKeys.size());

            Set<String> requested = new HashSet<>();
            kafka.consume("tracemark.anchor-requests", n, Duration.ofSeconds(60),
                    r -> ids.contains(r.key()) && requested.add(r.key()));
            assertEquals(ids, requested, "an anchor request for every stored record");
            assertTrue(deadLettered(tenant).isEmpty(), "a store outage sends nothing to the dead-letter topic");
            await().atMost(Duration.ofSeconds(30)).until(() -> lagGauge() == 0);
            System.out.printf("[backpressure] mongo down: lag %d during outage; %d records stored %d ms after up%n",
                    lagDuring, n, drained);
        }
    }

    /** Records of the tenant on the dead-letter topic, read from its start to its current end. */
    private List<ConsumerRecord<String, byte[]>> deadLettered(String tenant) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor("tracemark.records.dlq", Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                assertTrue(System.nanoTime() < deadline, "dead-letter topic read to its end within 60 s");
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (tenant.equals(KafkaTestClient.header(r, "tracemark-tenant"))) {
                        seen.add(r);
                    }
                }
            }
        }
        return seen;
    }
}
