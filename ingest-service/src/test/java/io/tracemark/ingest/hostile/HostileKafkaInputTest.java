package io.tracemark.ingest.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.ingest.records.RecordStore;
import io.tracemark.ingest.tenants.TenantDirectory;
import io.tracemark.testsupport.KafkaTestClient;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Bogus records on {@code tracemark.records}: each lands on the DLQ with its original bytes and
 * headers and the exact RFC 9457 reason; none is stored, and the consumer keeps going.
 *
 * <p>All cases are published once, up front, and the DLQ is read once; each case then checks its
 * own dead letter, found by its unique record key (the topics are shared with other test classes).
 */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileKafkaInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "hostile-kafka";
    private static final String RUN = UUID.randomUUID().toString();
    private static final Map<String, ConsumerRecord<String, byte[]>> DEAD = new HashMap<>();

    @Inject
    MongoClient mongo;
    @Inject
    RecordStore store;
    @Inject
    TenantDirectory tenants;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    @BeforeEach
    void tenantIsSetUp() {
        tenants.register(TENANT);
    }

    /** One bogus record: its value and headers, and the problem type and field code it must get. */
    record Case(String name, byte[] value, Map<String, byte[]> headers, String type, String code) {
        String key() {
            return "hostile-" + RUN + "-" + name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Map<String, byte[]> tenant(String t) {
        return Map.of("tracemark-tenant", t.getBytes(StandardCharsets.UTF_8));
    }

    static Case of(String name, String value, String type, String code) {
        return new Case(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8), tenant(TENANT), type, code);
    }

    static String envelope(String key, String payload) {
        return "{\"type\":\"product.batch\",\"idempotencyKey\":\"" + key + "\",\"payload\":" + payload + "}";
    }

    static final String BATCH = "{\"gtin\":\"4006381333931\",\"lot\":\"L1\"}";

    static List<Case> cases() {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        byte[] huge = ("[\"" + "x".repeat(1_000_000) + "\"]").getBytes(StandardCharsets.UTF_8);
        byte[] badUtf8 = envelope("k-utf8", "{\"gtin\":\"4006381333931\",\"lot\":\"L\u00ff\"}").getBytes(StandardCharsets.ISO_8859_1);
        String event = "{\"type\":\"TeleportEvent\",\"eventTime\":\"2026-01-01T00:00:00Z\",\"eventTimeZoneOffset\":\"+00:00\"}";
        List<Case> list = new ArrayList<>(List.of(
                of("not JSON", "hello, broker", "malformed-json", "json.malformed"),
                of("truncated envelope", envelope("k-trunc", BATCH).substring(0, 40), "malformed-json", "json.malformed"),
                of("two JSON values", envelope("k-two", BATCH) + "{}", "malformed-json", "json.malformed"),
                of("duplicate member names", "{\"type\":\"product.batch\",\"type\":\"media.work\",\"idempotencyKey\":\"k\",\"payload\":{}}",
                        "malformed-json", "json.malformed"),
                of("10,000 levels of nesting", envelope("k-deep", "[".repeat(10_000) + "]".repeat(10_000)),
                        "malformed-json", "json.malformed"),
                of("empty value", "", "malformed-json", "json.empty"),
                of("null value (tombstone)", null, "malformed-json", "json.empty"),
                new Case("binary garbage", garbage, tenant(TENANT), "malformed-json", "json.malformed"),
                new Case("invalid UTF-8", badUtf8, tenant(TENANT), "malformed-json", "json.malformed"),
                new Case("UTF-16 envelope", envelope("k-utf16", BATCH).getBytes(StandardCharsets.UTF_16),
                        tenant(TENANT), "malformed-json", "json.malformed"),
                new Case("value of about 1 MB", huge, tenant(TENANT), "envelope-invalid", "envelope.invalid"),
                of("array instead of envelope", "[" + envelope("k-arr", BATCH) + "]", "envelope-invalid", "envelope.invalid"),
                of("envelope without payload", "{\"type\":\"product.batch\",\"idempotencyKey\":\"k-np\"}",
                        "envelope-invalid", "envelope.invalid"),
                of("type as a number", "{\"type\":7,\"idempotencyKey\":\"k-t\",\"payload\":{}}", "envelope-invalid", "envelope.invalid"),
                of("idempotencyKey missing", "{\"type\":\"product.batch\",\"payload\":" + BATCH + "}",
                        "envelope-invalid", "idempotency-key.invalid"),
                of("idempotencyKey as a number", "{\"type\":\"product.batch\",\"idempotencyKey\":7,\"payload\":" + BATCH + "}",
                        "envelope-invalid", "idempotency-key.invalid"),
                of("idempotencyKey of 201 characters", envelope("k".repeat(201), BATCH), "envelope-invalid", "idempotency-key.invalid"),
                of("idempotencyKey with control characters", envelope("k\\u0000\\n", BATCH),
                        "envelope-invalid", "idempotency-key.invalid"),
                new Case("tenant header missing", envelope("k-nt", BATCH).getBytes(StandardCharsets.UTF_8), Map.of(),
                        "tenant-missing", "tenant.missing"),
                new Case("tenant header empty", envelope("k-et", BATCH).getBytes(StandardCharsets.UTF_8), tenant(""),
                        "tenant-missing", "tenant.missing"),
                new Case("tenant header with capitals and spaces", envelope("k-ct", BATCH).getBytes(StandardCharsets.UTF_8),
                        tenant("Acme Corp"), "tenant-missing", "tenant.missing"),
                new Case("tenant header of 200 characters", envelope("k-lt", BATCH).getBytes(StandardCharsets.UTF_8),
                        tenant("a".repeat(200)), "tenant-missing", "tenant.missing"),
                new Case("tenant header of binary bytes", envelope("k-bt", BATCH).getBytes(StandardCharsets.UTF_8),
                        Map.of("tracemark-tenant", new byte[] {(byte) 0xFF, 0, 'a', 'b'}), "tenant-missing", "tenant.missing"),
                of("unknown record type", "{\"type\":\"crypto.coin\",\"idempotencyKey\":\"k-ut-" + RUN + "\",\"payload\":{}}",
                        "validation", "type.unknown"),
                of("GTIN with a bad check digit", envelope("k-gtin-" + RUN, BATCH.replace("931", "932")), "validation", "gtin.check-digit"),
                of("quantity 1e400", envelope("k-inf-" + RUN, BATCH.replace("}", ",\"quantity\":1e400,\"unit\":\"H87\"}")),
                        "validation", "quantity.invalid"),
                of("EPCIS event of an unknown type", "{\"type\":\"epcis.event\",\"idempotencyKey\":\"k-ev-" + RUN
                        + "\",\"payload\":" + event + "}", "validation", "epcis.event-type")));
        return list;
    }

    static Stream<Case> caseStream() {
        return cases().stream();
    }

    /** Publishes every case once, then reads all their dead letters in one pass. */
    private synchronized void publishAllOnce() {
        if (!DEAD.isEmpty()) {
            return;
        }
        List<Case> all = cases();
        Map<String, Case> byKey = new LinkedHashMap<>();
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            for (Case c : all) {
                byKey.put(c.key(), c);
                kafka.send("tracemark.records", c.key(), c.value(), c.headers());
            }
            for (ConsumerRecord<String, byte[]> r : kafka.consume("tracemark.records.dlq", all.size(), Duration.ofSeconds(90),
                    r -> r.key() != null && byKey.containsKey(r.key()))) {
                DEAD.put(r.key(), r);
            }
        }
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("caseStream")
    void deadLettersBogusRecordWithExactReasonAndOriginalBytes(Case c) throws Exception {
        publishAllOnce();
        ConsumerRecord<String, byte[]> dead = DEAD.get(c.key());
        assertNotNull(dead, "no dead letter for " + c.name());
        assertArrayEquals(c.value() == null ? new byte[0] : c.value(), dead.value(), "original bytes are kept");
        c.headers().forEach((name, value) -> assertArrayEquals(value, dead.headers().lastHeader(name).value()));
        JsonNode problem = JSON.readTree(KafkaTestClient.header(dead, "tracemark-problem"));
        assertEquals("https://tracemark.dev/problems/" + c.type(), problem.path("type").asText(), problem.toString());
        assertEquals(c.code(), problem.path("errors").path(0).path("code").asText(), problem.toString());
        assertEquals(false, problem.path("retriable").asBoolean(true));
        assertNotNull(KafkaTestClient.header(dead, "tracemark-source"));
    }

    @Order(2)
    @Test
    void storesNothingForBogusRecordsAndStillTakesAValidOne() {
        publishAllOnce();
        assertEquals(0, mongo.getDatabase(database).getCollection("records").countDocuments(Filters.eq("tenant", TENANT)));
        given().get("/q/health").then().statusCode(200);
        String key = "valid-" + RUN;
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send("tracemark.records", key, envelope(key, BATCH), Map.of("tracemark-tenant", TENANT));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> store.findByIdempotencyKey(TENANT, key).isPresent());
        assertEquals(1, mongo.getDatabase(database).getCollection("records").countDocuments(Filters.eq("tenant", TENANT)));
    }
}
