package io.tracemark.ingest.metrics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.ingest.tenants.TenantDirectory;
import io.tracemark.testsupport.KafkaTestClient;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an operator's dashboard sees of poison and rejected records: counters per type and reason, with HELP. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class IntakeMetricsTest {
    @Inject
    ApiKeyStore keys;
    private static final Pattern SAMPLE = Pattern.compile("^(\\w+)\\{([^}]*)} (\\S+)(?: .*)?$", Pattern.MULTILINE);
    static final String DEAD = "tracemark_ingest_dead_lettered_records_total";
    static final String RECORDS = "tracemark_ingest_records_total";

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sum of a counter's samples whose labels include every one given. */
    static double value(String text, String name, String... labels) {
        double sum = 0;
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            boolean all = m.group(1).equals(name);
            for (String l : labels) {
                all &= m.group(2).contains(l);
            }
            if (all) {
                sum += Double.parseDouble(m.group(3));
            }
        }
        return sum;
    }

    @Inject
    TenantDirectory tenants;

    @Test
    void poisonRecordOnKafkaShowsInTheDeadLetterCounterByReason() {
        // A tenant the operator set up: records of unknown tenants are dead-lettered as tenant-unknown instead.
        tenants.register("metrics-tenant");
        String before = scrape();
        String key = "poison-" + UUID.randomUUID();
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send("tracemark.records", key, "{not json", Map.of("tracemark-tenant", "metrics-tenant"));
            kafka.send("tracemark.records", key + "-gtin", "{\"type\":\"product.batch\",\"idempotencyKey\":\"" + key
                    + "\",\"payload\":{\"gtin\":\"4006381333932\",\"lot\":\"L1\"}}", Map.of("tracemark-tenant", "metrics-tenant"));
        }
        KafkaTestClient.waitUntil(Duration.ofSeconds(60), "both records counted as dead-lettered", () -> {
            String now = scrape();
            return value(now, DEAD, "reason=\"malformed-json\"", "type=\"unknown\"")
                    > value(before, DEAD, "reason=\"malformed-json\"", "type=\"unknown\"")
                    && value(now, DEAD, "reason=\"validation\"", "type=\"product.batch\"")
                    > value(before, DEAD, "reason=\"validation\"", "type=\"product.batch\"");
        });
        String after = scrape();
        // At least: records other test classes published may be counted in the same window.
        assertTrue(value(after, RECORDS, "outcome=\"rejected\"", "type=\"product.batch\"")
                - value(before, RECORDS, "outcome=\"rejected\"", "type=\"product.batch\"") >= 1.0, "rejected batch counted");
        // The text format names HELP and TYPE with or without _total, depending on the client version.
        assertTrue(Pattern.compile("^# HELP tracemark_ingest_dead_lettered_records(_total)? Kafka records parked on "
                + "tracemark.records.dlq", Pattern.MULTILINE).matcher(after).find(), "HELP text");
        assertTrue(Pattern.compile("^# TYPE tracemark_ingest_dead_lettered_records(_total)? counter$", Pattern.MULTILINE)
                .matcher(after).find(), "a counter");
    }

    @Test
    void acceptedHttpRecordIsCountedByType() {
        String before = scrape();
        String apiKey = keys.issue("metrics-http", EnumSet.of(Role.WRITE)).apiKey();
        given().header("Authorization", "Bearer " + apiKey).contentType("application/json")
                .body("{\"gtin\":\"4006381333931\",\"lot\":\"M-" + UUID.randomUUID().toString().substring(0, 8)
                        + "\",\"quantity\":1200,\"unit\":\"H87\",\"productionDate\":\"2026-11-01\"}")
                .post("/v1/products/batches").then().statusCode(201);
        assertTrue(value(scrape(), RECORDS, "outcome=\"accepted\"", "type=\"product.batch\"")
                - value(before, RECORDS, "outcome=\"accepted\"", "type=\"product.batch\"") >= 1.0, "accepted batch counted");
    }
}
