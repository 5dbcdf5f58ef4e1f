package io.tracemark.attest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.standardwebhooks.Webhook;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.attest.kafka.EventRecords;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * -Dbench.rate=2500 -Dbench.seconds=10}). One subscription to every event type of a tenant points at a
 * loopback receiver that answers 204 at once (TCP_NODELAY). Phase one puts {@code bench.events}
 * {@code record.anchored}-sized events (about 3 KB, as a receipt makes them) on {@code tracemark.events} as
 * fast as the producer goes and measures deliveries per second, first to last; phase two offers
 * {@code bench.rate} events a second for {@code bench.seconds} and measures event → delivery latency. Every
 * delivery's signature is checked with the Standard Webhooks reference library and every {@code webhook-id}
 * counted once. Skipped unless {@code tracemark.bench=true}.
 */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(AttestTestResource.class)
@EnabledIfSystemProperty(named = "tracemark.bench", matches = "true")
class WebhookDeliveryBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    @Inject
    ApiKeyStore keys;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void deliveriesPerSecondAndLatency() throws Exception {
        int events = Integer.getInteger("bench.events", 40_000);
        int rate = Integer.getInteger("bench.rate", 2_500);
        int seconds = Integer.getInteger("bench.seconds", 10);
        String tenant = "whb-" + UUID.randomUUID().toString().substring(0, 6);
        String key = keys.issue(tenant, Set.of(Role.READ, Role.WRITE)).apiKey();
        try (Receiver rx = new Receiver().fallback(Receiver.Answer.of(204))) {
            String secret = JSON.readTree(given().header("Authorization", "Bearer " + key).contentType("application/json")
                    .body("{\"url\":\"" + rx.url("/hook") + "\",\"eventTypes\":[\"*\"]}").post("/v1/webhooks")
                    .then().statusCode(201).extract().asString()).path("secret").asText();
            Thread.sleep(1_000);
            StringBuilder out = new StringBuilder("\n");

            long t0 = System.nanoTime();
            produce(tenant, events, 0);
            double produced = (System.nanoTime() - t0) / 1e9;
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> rx.received.size() >= events);
            List<Receiver.Received> burst = List.copyOf(rx.received);
            double span = Duration.between(burst.get(0).at(), burst.get(burst.size() - 1).at()).toMillis() / 1000.0;
            out.append(String.format("[bench] burst: %,d events produced in %.1f s; %,d delivered in %.1f s, first to last = %.0f deliveries/s%n",
                    events, produced, burst.size(), span, burst.size() / Math.max(0.001, span)));

            int before = rx.received.size();
            int paced = rate * seconds;
            produce(tenant, paced, rate);
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> rx.received.size() >= before + paced);
            List<Receiver.Received> all = List.copyOf(rx.received);
            List<Long> latencies = new ArrayList<>();
            for (Receiver.Received r : all.subList(before, all.size())) {
                Instant at = Instant.parse(JSON.readTree(r.body()).path("timestamp").asText());
                latencies.add(Duration.between(at, r.at()).toMillis());
            }
            Collections.sort(latencies);
            out.append(String.format("[bench] paced: %,d events at %,d/s: event → delivery p50 %d ms, p99 %d ms, max %d ms%n",
                    paced, rate, latencies.get(latencies.size() / 2), latencies.get((int) (latencies.size() * 0.99)),
                    latencies.get(latencies.size() - 1)));

            Webhook verifier = new Webhook(secret);
            Set<String> ids = new HashSet<>();
            int bad = 0;
            for (Receiver.Received r : all) {
                try {
                    verifier.verify(r.body(), r.headers());
                } catch (Exception e) {
                    bad++;
                }
                ids.add(r.header("webhook-id"));
            }
            out.append(String.format("[bench] %,d deliveries, %,d distinct webhook-ids, %d bad signatures (Standard Webhooks library)%n",
                    all.size(), ids.size(), bad));
            System.out.println(out);
        }
    }

    /** Puts {@code n} events of about 3 KB on the event store, {@code rate} a second (0: as fast as it goes). */
    private void produce(String tenant, int n, int rate) throws InterruptedException {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        String filler = "x".repeat(2_800);
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
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
        }
    }
}
