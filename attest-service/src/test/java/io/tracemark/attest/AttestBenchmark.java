package io.tracemark.attest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * Benchmark, not a test: {@code mvn -B -pl attest-service verify -Dtest=AttestBenchmark -Dtracemark.bench=true}
 * (optionally {@code -Dbench.rate=5000 -Dbench.seconds=30 -Dbench.warmup=10 -Dbench.webhooks=false}).
 * Publishes anchor requests at a steady rate, the first {@code bench.warmup} seconds unmeasured, with one webhook subscription on a loopback receiver (unless
 * {@code bench.webhooks=false}), and prints anchoring latency p50/p99 and webhook deliveries per second.
 * Skipped unless {@code tracemark.bench=true}.
 */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(AttestTestResource.class)
@EnabledIfSystemProperty(named = "tracemark.bench", matches = "true")
class AttestBenchmark {
    @Inject
    MeterRegistry meters;
    @Inject
    ApiKeyStore keys;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private double anchoredCount() {
        return meters.find("tracemark.attest.anchored").counter().count();
    }

    @Test
    void steadyRate() throws Exception {
        int rate = Integer.getInteger("bench.rate", 5000);
        int seconds = Integer.getInteger("bench.seconds", 30);
        String tenant = "bench-" + UUID.randomUUID().toString().substring(0, 6);
        boolean webhooks = Boolean.parseBoolean(System.getProperty("bench.webhooks", "true"));
        String key = keys.issue(tenant, Set.of(Role.READ, Role.WRITE)).apiKey();
        try (Receiver rx = new Receiver()) {
            if (webhooks) {
                given().header("Authorization", "Bearer " + key).contentType("application/json")
                        .body("{\"url\":\"" + rx.url("/hook") + "\",\"eventTypes\":[\"record.accepted\"]}").post("/v1/webhooks")
                        .then().statusCode(201);
            }
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            double anchoredBefore = anchoredCount();
            List<String> digests = new ArrayList<>();
            // The first warmup seconds (another tenant) let the JIT and the pools settle; only the rest is measured.
            long warm = (long) rate * Integer.getInteger("bench.warmup", 10);
            String warmTenant = "warm-" + tenant;
            long start = System.nanoTime();
            long sent = 0;
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
                while (sent < (long) rate * seconds + warm) {
                    long due = start + TimeUnit.SECONDS.toNanos(1) * sent / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    String id = "bench-" + sent + "-" + UUID.randomUUID();
                    String digest = Pipeline.sha256(id);
                    digests.add(digest);
                    producer.send(new ProducerRecord<>(Pipeline.ANCHOR_REQUESTS, id, Pipeline.encode(new AnchorRequest(id,
                            sent < warm ? warmTenant : tenant, "product.batch", digest, Instant.now(), List.of(), null))));
                    sent++;
                }
            }
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            long total = sent - warm;
            long offered = sent;
            // Every record.anchored committed (counted by attest; the events log is read once, at the end).
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> anchoredCount() - anchoredBefore >= offered);
            double anchoredSeconds = (System.nanoTime() - start) / 1e9;
            var snapshot = meters.find("tracemark.anchoring.latency").timer().takeSnapshot();
            StringBuilder sb = new StringBuilder("\n[bench] offered " + sent + " records in " + String.format("%.1f", sendSeconds)
                    + " s (" + Math.round(sent / sendSeconds) + "/s); all anchored after " + String.format("%.1f", anchoredSeconds) + " s\n");
            for (ValueAtPercentile v : snapshot.percentileValues()) {
                sb.append("[bench] anchoring latency p").append(Math.round(v.percentile() * 100)).append(" = ")
                        .append(Math.round(v.value(TimeUnit.MILLISECONDS))).append(" ms (metric, warm-up included)\n");
            }
            // Measured from the events log: acceptance (the request's acceptedAt) to the record.anchored event's
            // append (its Kafka timestamp, taken when attest committed it).
            List<Long> measured = new ArrayList<>();
            for (Pipeline.LoggedEvent e : Pipeline.eventsOf(tenant, EventTypes.RECORD_ANCHORED)) {
                Instant acceptedAt = Instant.parse(e.event().data().path("receipt").path("record").path("acceptedAt").asText());
                measured.add(e.kafkaTimestamp() - acceptedAt.toEpochMilli());
            }
            Collections.sort(measured);
            sb.append("[bench] after ").append(warm / Math.max(1, rate)).append(" s warm-up, ").append(measured.size())
                    .append(" records at ").append(rate).append("/s: anchoring latency p50 = ")
                    .append(measured.get(measured.size() / 2)).append(" ms, p99 = ")
                    .append(measured.get((int) Math.min(measured.size() - 1L, Math.round(measured.size() * 0.99))))
                    .append(" ms, max = ").append(measured.get(measured.size() - 1)).append(" ms\n");
            Map<String, Integer> leaves = Pipeline.leafOccurrences();
            long once = digests.stream().filter(d -> leaves.getOrDefault(d, 0) == 1).count();
            sb.append("[bench] records with exactly one leaf: ").append(once).append(" of ").append(digests.size()).append('\n');
            sb.append("[bench] anchoring latency max = ").append(Math.round(snapshot.max(TimeUnit.MILLISECONDS)))
                    .append(" ms over ").append(snapshot.count()).append(" records\n");
            System.out.println(sb);
            if (!webhooks) {
                return;
            }
            sb.setLength(0);
            try {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> rx.received.size() >= total);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                sb.append("[bench] webhook deliveries incomplete after 3 min: ").append(rx.received.size()).append(" of ")
                        .append(total).append('\n');
            }
            double deliveredSeconds = Duration.between(rx.received.get(0).at(), rx.received.get(rx.received.size() - 1).at())
                    .toMillis() / 1000.0;
            sb.append("[bench] webhook deliveries: ").append(rx.received.size()).append(" in ")
                    .append(String.format("%.1f", deliveredSeconds)).append(" s = ")
                    .append(Math.round(rx.received.size() / Math.max(0.001, deliveredSeconds))).append("/s\n");
            System.out.println(sb);
        }
    }
}
