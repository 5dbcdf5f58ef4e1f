package io.tracemark.attest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.standardwebhooks.Webhook;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.attest.kafka.EventRecords;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.edge.store.StoreCommandMetrics;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * Benchmark, not a test: the webhook stage alone, {@code mvn -B -pl attest-service verify
 * -Dtest=WebhookDeliveryBenchmark -Dtracemark.bench=true} (optionally {@code -Dbench.events=40000
 * -Dbench.rate=2500,5000 -Dbench.seconds=10}). One subscription to every event type of a tenant points at a
 * loopback Vert.x receiver ({@link FastReceiver}) that answers 204 at once. Phase one pre-produces
 * {@code bench.events} {@code record.anchored}-sized events (about 3 KB, as a receipt makes them) in one Kafka
 * transaction, which the read-committed consumer sees only when it commits: the producer's cost is paid before the
 * timed part, and deliveries per second are measured at the receiver, first to last, with the store documents
 * and commands that webhooks wrote per delivery (the services' MongoDB command counters). Phase two offers each
 * {@code bench.rate} events a second for {@code bench.seconds} and measures event → delivery latency. Afterwards
 * every delivery's signature is checked with the Standard Webhooks reference library and every
 * {@code webhook-id} counted once. Skipped unless {@code tracemark.bench=true}.
 */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(AttestTestResource.class)
@EnabledIfSystemProperty(named = "tracemark.bench", matches = "true")
class WebhookDeliveryBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COLLECTIONS = List.of("webhook_deliveries", "webhook_messages");
    @Inject
    ApiKeyStore keys;
    @Inject
    MeterRegistry meters;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void deliveriesPerSecondAndLatency() throws Exception {
        int events = Integer.getInteger("bench.events", 40_000);
        int[] rates = Arrays.stream(System.getProperty("bench.rate", "2500").split(",")).mapToInt(Integer::parseInt).toArray();
        int seconds = Integer.getInteger("bench.seconds", 10);
        String tenant = "whb-" + UUID.randomUUID().toString().substring(0, 6);
        String key = keys.issue(tenant, Set.of(Role.READ, Role.WRITE)).apiKey();
        try (FastReceiver rx = new FastReceiver()) {
            String secret = JSON.readTree(given().header("Authorization", "Bearer " + key).contentType("application/json")
                    .body("{\"url\":\"" + rx.url("/hook") + "\",\"eventTypes\":[\"*\"]}").post("/v1/webhooks")
                    .then().statusCode(201).extract().asString()).path("secret").asText();
            Thread.sleep(1_000);
            StringBuilder out = new StringBuilder("\n");

            java.util.Map<String, Double> each0 = each();
            double docs0 = sum(StoreCommandMetrics.DOCUMENTS_WRITTEN);
            double commands0 = sum(StoreCommandMetrics.COMMANDS);
            double allCommands0 = all(StoreCommandMetrics.COMMANDS);
            long t0 = System.nanoTime();
            produce(tenant, events, 0);
            double produced = (System.nanoTime() - t0) / 1e9;
            long cpu0 = cpuNanos();
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100)).until(() -> rx.count() >= events);
            long cpu = cpuNanos() - cpu0;
            List<FastReceiver.Received> burst = rx.received();
            // The last outcomes reach the store within a flush or two.
            Thread.sleep(1_000);
            double docs = sum(StoreCommandMetrics.DOCUMENTS_WRITTEN) - docs0;
            double commands = sum(StoreCommandMetrics.COMMANDS) - commands0;
            double allCommands = all(StoreCommandMetrics.COMMANDS) - allCommands0;
            java.util.Map<String, Double> each1 = each();
            each1.forEach((k, v) -> {
                double d = v - each0.getOrDefault(k, 0.0);
                if (d > 0) {
                    out.append(String.format("[bench] burst store counter %s: %.0f (%.4f per delivery)%n", k, d, d / events));
                }
            });
            double span = (burst.get(burst.size() - 1).atMillis() - burst.get(0).atMillis()) / 1000.0;
            out.append(String.format("[bench] burst: %,d events pre-produced in one transaction in %.1f s; %,d delivered in %.2f s,"
                            + " first to last = %.0f deliveries/s (%s to %s); webhook store writes: %.4f documents and %.4f"
                            + " commands per delivery%n",
                    events, produced, burst.size(), span, burst.size() / Math.max(0.001, span),
                    Instant.ofEpochMilli(burst.get(0).atMillis()), Instant.ofEpochMilli(burst.get(burst.size() - 1).atMillis()),
                    docs / burst.size(), commands / burst.size()));
            out.append(String.format("[bench] burst: this JVM's CPU (attest-service, receiver, test) %.0f µs per delivery;"
                    + " store commands of every collection %.4f per delivery%n", cpu / 1e3 / burst.size(), allCommands / burst.size()));

            for (int rate : rates) {
                int before = rx.count();
                int paced = rate * seconds;
                produce(tenant, paced, rate);
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> rx.count() >= before + paced);
                List<FastReceiver.Received> all = rx.received();
                List<Long> latencies = new ArrayList<>();
                for (FastReceiver.Received r : all.subList(before, all.size())) {
                    Instant at = Instant.parse(JSON.readTree(r.body()).path("timestamp").asText());
                    latencies.add(r.atMillis() - at.toEpochMilli());
                }
                Collections.sort(latencies);
                double pacedSpan = (all.get(all.size() - 1).atMillis() - all.get(before).atMillis()) / 1000.0;
                out.append(String.format("[bench] paced: %,d events at %,d/s (%,.0f/s delivered): event → delivery p50 %d ms,"
                                + " p99 %d ms, max %d ms%n", paced, rate, paced / Math.max(0.001, pacedSpan),
                        latencies.get(latencies.size() / 2), latencies.get((int) (latencies.size() * 0.99)),
                        latencies.get(latencies.size() - 1)));
            }

            List<FastReceiver.Received> all = rx.received();
            Webhook verifier = new Webhook(secret);
            Set<String> ids = new HashSet<>();
            int bad = 0;
            for (FastReceiver.Received r : all) {
                try {
                    verifier.verify(new String(r.body(), StandardCharsets.UTF_8), r.headers());
                } catch (Exception e) {
                    bad++;
                }
                ids.add(r.id());
            }
            out.append(String.format("[bench] %,d deliveries, %,d distinct webhook-ids, %d bad signatures (Standard Webhooks library)%n",
                    all.size(), ids.size(), bad));
            System.out.println(out);
        }
    }

    /** Every store counter by name, command and collection. */
    private java.util.Map<String, Double> each() {
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        for (String name : List.of(StoreCommandMetrics.COMMANDS, StoreCommandMetrics.DOCUMENTS_WRITTEN)) {
            meters.find(name).counters().forEach(c -> out.merge(name + " " + c.getId().getTag("command") + " "
                    + c.getId().getTag("collection"), c.count(), Double::sum));
        }
        return out;
    }

    /** Counter {@code name} over every collection. */
    private double all(String name) {
        return meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** CPU time this JVM used so far. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** What webhooks wrote to the store so far: counter {@code name} over the webhook collections. */
    private double sum(String name) {
        return COLLECTIONS.stream().flatMap(c -> meters.find(name).tag("collection", c).counters().stream())
                .mapToDouble(Counter::count).sum();
    }

    /**
     * Puts {@code n} events of about 3 KB on the event store, {@code rate} a second; {@code rate} 0: all in one
     * transaction, which read-committed consumers see at once when it commits.
     */
    private void produce(String tenant, int n, int rate) throws InterruptedException {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        if (rate == 0) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "webhook-bench-" + UUID.randomUUID());
            p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 300_000);
        }
        String filler = "x".repeat(2_800);
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            if (rate == 0) {
                producer.initTransactions();
                producer.beginTransaction();
            }
            for (int i = 0; i < n; i++) {
                if (rate > 0) {
                    long wait = start + TimeUnit.SECONDS.toNanos(1) * i / rate - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                String recordId = "rec_" + UUID.randomUUID();
                ObjectNode data = JSON.createObjectNode().put("recordId", recordId).put("receiptStandIn", filler);
                producer.send(EventRecords.of(Pipeline.EVENTS, new Event(Event.idOf(EventTypes.RECORD_ANCHORED, recordId),
                        EventTypes.RECORD_ANCHORED, Instant.now(), tenant, List.of(), null, data)));
            }
            if (rate == 0) {
                producer.commitTransaction();
            }
        }
    }
}
