package io.tracemark.ingest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.ingest.tenants.TenantDirectory;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Throughput of Kafka intake, measured end to end (published to {@code tracemark.records} until
 * the anchor request of every record is on {@code tracemark.anchor-requests}, which the service
 * sends only after the bulk store), beside the raw insertMany rate of the same MongoDB-wire server.
 *
 * <p>Not a test: it only runs with {@code -Dtracemark.benchmark=true} and writes its result to
 * {@code target/BENCHMARKS-ingest.md}; the root BENCHMARKS.md has the command.
 */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@EnabledIfSystemProperty(named = "tracemark.benchmark", matches = "true")
class IngestThroughputBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECORDS = Integer.getInteger("tracemark.benchmark.records", 20_000);
    @Inject
    MongoClient mongo;
    @Inject
    TenantDirectory tenants;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void measure() throws Exception {
        warmUp();
        double raw = rawInsertMany(RECORDS);
        double intake = kafkaToStoredAndForwarded(RECORDS);
        String md = """
                # ingest-service throughput

                Command: `mvn -B -pl ingest-service verify -Dtest=IngestThroughputBenchmark -Dtracemark.benchmark=true`
                (optionally `-Dtracemark.benchmark.records=N`). Embedded infra: one Kafka KRaft broker and
                mongo-java-server (memory backend) in a child JVM, as in the tests; %d records, 2-core machine.

                | measure | records/s |
                | --- | ---: |
                | Kafka `tracemark.records` → validated, sealed, stored (bulk) → anchor request acknowledged on `tracemark.anchor-requests` | %.0f |
                | raw `insertMany` (1,000 per call, unordered, unique index on tenant+idempotencyKey) of records of the same size, same server, same run | %.0f |

                Intake reaches %.0f%% of the raw insert rate. The intake path also validates, canonicalises
                (RFC 8785), hashes and publishes each record, and its `records` collection maintains 11
                indexes where the raw run maintains 1. Run at %s.
                """.formatted(RECORDS, intake, raw, 100 * intake / raw, Instant.now());
        Files.writeString(Path.of("target", "BENCHMARKS-ingest.md"), md);
        System.out.println(md);
    }

    private void warmUp() throws Exception {
        kafkaToStoredAndForwarded(2_000);
        rawInsertMany(2_000);
    }

    private double rawInsertMany(int n) {
        MongoCollection<Document> c = mongo.getDatabase(database).getCollection("bench_raw_" + UUID.randomUUID().toString().substring(0, 8));
        c.createIndex(Indexes.ascending("tenant", "idempotencyKey"), new IndexOptions().unique(true));
        String canonical = "x".repeat(420);
        long start = System.nanoTime();
        for (int from = 0; from < n; from += 1000) {
            List<Document> docs = new ArrayList<>(1000);
            for (int i = from; i < Math.min(n, from + 1000); i++) {
                docs.add(new Document("_id", UUID.randomUUID().toString()).append("tenant", "raw")
                        .append("idempotencyKey", "k" + i).append("naturalKey", "n" + i).append("type", "product.batch")
                        .append("receivedAt", new Date()).append("salt", "s".repeat(22)).append("canonical", canonical)
                        .append("digest", "d".repeat(64)).append("status", "accepted")
                        .append("keys", new Document("gtin", "04006381333931").append("lot", "L" + i)));
            }
            c.insertMany(docs, new InsertManyOptions().ordered(false));
        }
        double rate = n / ((System.nanoTime() - start) / 1e9);
        c.drop();
        return rate;
    }

    private double kafkaToStoredAndForwarded(int n) throws Exception {
        String tenant = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        tenants.register(tenant);
        try (KafkaConsumer<String, String> anchors = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "enable.auto.commit", false), new StringDeserializer(), new StringDeserializer());
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5,
                     ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(), new StringSerializer())) {
            List<TopicPartition> parts = anchors.partitionsFor("tracemark.anchor-requests").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            anchors.assign(parts);
            anchors.seekToEnd(parts);
            parts.forEach(anchors::position);
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                String env = "{\"type\":\"product.batch\",\"idempotencyKey\":\"b" + i + "\",\"payload\":{\"gtin\":\"4006381333931\","
                        + "\"lot\":\"L" + i + "\",\"quantity\":" + (i + 1) + ",\"unit\":\"H87\",\"productionDate\":\"2026-11-01\"}}";
                ProducerRecord<String, String> r = new ProducerRecord<>("tracemark.records", null, env);
                r.headers().add("tracemark-tenant", tenant.getBytes(StandardCharsets.UTF_8));
                producer.send(r);
            }
            producer.flush();
            int seen = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (seen < n && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : anchors.poll(Duration.ofMillis(200))) {
                    JsonNode body = JSON.readTree(r.value());
                    if (tenant.equals(body.path("tenant").asText())) {
                        seen++;
                    }
                }
            }
            if (seen < n) {
                throw new IllegalStateException("only " + seen + " of " + n + " records were forwarded within 5 minutes");
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }
}
