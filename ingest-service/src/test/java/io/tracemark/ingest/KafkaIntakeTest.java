package io.tracemark.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import io.tracemark.ingest.kafka.RecordsConsumer;
import io.tracemark.ingest.records.RecordStore;
import io.tracemark.ingest.tenants.TenantDirectory;
import io.tracemark.testsupport.LogCapture;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class KafkaIntakeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    RecordStore store;
    @Inject
    TenantDirectory tenants;
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    @BeforeEach
    void tenantIsSetUp() {
        tenants.register("kafka-tenant");
        tenants.register("kcat-tenant");
    }

    private void publish(String tenant, byte[] value) {
        publish(tenant, value, null);
    }

    private void publish(String tenant, byte[] value, String traceparent) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> rec = new ProducerRecord<>("tracemark.records", null, value);
            if (tenant != null) {
                rec.headers().add("tracemark-tenant", tenant.getBytes(StandardCharsets.UTF_8));
            }
            if (traceparent != null) {
                rec.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
            }
            producer.send(rec);
        }
    }

    private static String envelope(String key, String gtin) {
        return "{\"type\":\"product.batch\",\"idempotencyKey\":\"" + key + "\",\"payload\":{\"gtin\":\"" + gtin
                + "\",\"lot\":\"L1\"}}";
    }

    @Test
    void sameRecordDeliveredTwiceIsStoredOnceAndAnchorRequestedForIt() {
        String key = "erp-" + UUID.randomUUID();
        publish("kafka-tenant", envelope(key, "4006381333931").getBytes(StandardCharsets.UTF_8));
        publish("kafka-tenant", envelope(key, "4006381333931").getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(60)).until(() -> store.findByIdempotencyKey("kafka-tenant", key).isPresent());
        String id = store.findByIdempotencyKey("kafka-tenant", key).orElseThrow().getString("_id");
        List<ConsumerRecord<String, String>> requests = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            requests.addAll(poll("tracemark.anchor-requests", StringDeserializer.class).stream()
                    .map(r -> (ConsumerRecord<String, String>) r).filter(r -> id.equals(r.key())).toList());
            return !requests.isEmpty();
        });
        assertEquals(1, mongo.getDatabase(database).getCollection("records").countDocuments(
                Filters.and(Filters.eq("tenant", "kafka-tenant"), Filters.eq("idempotencyKey", key))));
    }

    @Test
    void invalidRecordsGoToTheDeadLetterTopicWithOriginalBytesAndReason() throws Exception {
        String marker = UUID.randomUUID().toString();
        byte[] notJson = ("not json " + marker).getBytes(StandardCharsets.UTF_8);
        byte[] badGtin = envelope("bad-" + marker, "4006381333932").getBytes(StandardCharsets.UTF_8);
        byte[] noTenant = envelope("nt-" + marker, "4006381333931").getBytes(StandardCharsets.UTF_8);
        publish("kafka-tenant", notJson);
        publish("kafka-tenant", badGtin);
        publish(null, noTenant);
        List<ConsumerRecord<?, ?>> dlq = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (ConsumerRecord<?, ?> r : poll("tracemark.records.dlq", ByteArrayDeserializer.class)) {
                if (new String((byte[]) r.value(), StandardCharsets.UTF_8).contains(marker)) {
                    dlq.add(r);
                }
            }
            return dlq.size() >= 3;
        });
        assertEquals(3, dlq.size());
        boolean sawNotJson = false;
        boolean sawBadGtin = false;
        boolean sawNoTenant = false;
        for (ConsumerRecord<?, ?> r : dlq) {
            JsonNode problem = JSON.readTree(r.headers().lastHeader("tracemark-problem").value());
            byte[] value = (byte[]) r.value();
            if (java.util.Arrays.equals(value, notJson)) {
                sawNotJson = problem.path("type").asText().endsWith("/malformed-json");
            } else if (java.util.Arrays.equals(value, badGtin)) {
                sawBadGtin = problem.toString().contains("gtin.check-digit");
                assertArrayEquals("kafka-tenant".getBytes(StandardCharsets.UTF_8),
                        r.headers().lastHeader("tracemark-tenant").value(), "original headers are kept");
            } else if (java.util.Arrays.equals(value, noTenant)) {
                sawNoTenant = problem.path("type").asText().endsWith("/tenant-missing");
            }
        }
        assertTrue(sawNotJson && sawBadGtin && sawNoTenant, "each rejected record carries its precise reason");
    }

    @Test
    void envelopePublishedWithKcatIsStored() throws Exception {
        String key = "kcat-" + UUID.randomUUID();
        String envelope = "{\"type\":\"product.batch\",\"idempotencyKey\":\"" + key
                + "\",\"payload\":{\"gtin\":\"96385074\",\"lot\":\"K-1\"}}";
        Process kcat;
        try {
            kcat = new ProcessBuilder("kcat", "-P", "-b", bootstrap, "-t", "tracemark.records",
                    "-H", "tracemark-tenant=kcat-tenant").redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("kcat is not installed (apt-get install -y kcat; .ci/run installs it)", e);
        }
        try (var stdin = kcat.getOutputStream()) {
            stdin.write((envelope + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(kcat.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "kcat finished");
        assertEquals(0, kcat.exitValue(), new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(60)).until(() -> store.findByIdempotencyKey("kcat-tenant", key).isPresent());
        org.bson.Document stored = store.findByIdempotencyKey("kcat-tenant", key).orElseThrow();
        assertEquals("00000096385074", stored.get("keys", org.bson.Document.class).getString("gtin"));
    }

    @Test
    void sameEpcisEventUnderANewKeyIsDeadLetteredAsDuplicateAndLoggedWithTheStoredRecordTenantAndTrace() throws Exception {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        try (LogCapture log = LogCapture.of(RecordsConsumer.class)) {
            String firstId = deadLetterADuplicate("00-" + traceId + "-00f067aa0ba902b7-01");
            List<LogCapture.Line> lines = log.lines(l -> l.message().contains("dead-lettered")
                    && firstId.equals(l.mdc().get("recordId")));
            assertEquals(1, lines.size(), "one dead-letter line under the stored record's id: " + log.lines(l -> true));
            assertEquals("kafka-tenant", lines.get(0).mdc().get("tenant"));
            assertEquals(traceId, lines.get(0).mdc().get("traceId"));
            assertEquals("00f067aa0ba902b7", lines.get(0).mdc().get("spanId"));
            assertTrue(lines.get(0).mdc().get("kafkaPosition").startsWith("tracemark.records/"), lines.get(0).mdc().toString());
        }
    }

    /** Sends an EPCIS event twice under two keys; returns the id of the record stored for the first. */
    private String deadLetterADuplicate(String traceparent) throws Exception {
        String marker = UUID.randomUUID().toString().substring(0, 12);
        String event = "{\"type\":\"ObjectEvent\",\"action\":\"OBSERVE\",\"epcList\":[\"urn:epc:id:sgtin:0614141.107346."
                + marker + "\"],\"eventTime\":\"2026-01-01T00:00:00Z\",\"eventTimeZoneOffset\":\"+00:00\"}";
        byte[] second = ("{\"type\":\"epcis.event\",\"idempotencyKey\":\"b-" + marker + "\",\"payload\":" + event + "}")
                .getBytes(StandardCharsets.UTF_8);
        publish("kafka-tenant", ("{\"type\":\"epcis.event\",\"idempotencyKey\":\"a-" + marker + "\",\"payload\":" + event + "}")
                .getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(60)).until(() -> store.findByIdempotencyKey("kafka-tenant", "a-" + marker).isPresent());
        publish("kafka-tenant", second, traceparent);
        List<ConsumerRecord<?, ?>> dlq = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (ConsumerRecord<?, ?> r : poll("tracemark.records.dlq", ByteArrayDeserializer.class)) {
                if (java.util.Arrays.equals((byte[]) r.value(), second)) {
                    dlq.add(r);
                }
            }
            return !dlq.isEmpty();
        });
        JsonNode problem = JSON.readTree(dlq.get(0).headers().lastHeader("tracemark-problem").value());
        assertEquals("https://tracemark.dev/problems/duplicate-record", problem.path("type").asText());
        String firstId = store.findByIdempotencyKey("kafka-tenant", "a-" + marker).orElseThrow().getString("_id");
        assertEquals("/v1/records/" + firstId, problem.path("instance").asText());
        return firstId;
    }

    private List<ConsumerRecord<?, ?>> poll(String topic, Class<?> valueDeserializer) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, valueDeserializer.getName());
        List<ConsumerRecord<?, ?>> out = new ArrayList<>();
        try (KafkaConsumer<Object, Object> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            long end = System.currentTimeMillis() + 3000;
            while (System.currentTimeMillis() < end) {
                c.poll(Duration.ofMillis(300)).forEach(out::add);
            }
        }
        return out;
    }
}
