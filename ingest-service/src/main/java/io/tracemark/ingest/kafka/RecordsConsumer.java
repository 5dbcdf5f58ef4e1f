package io.tracemark.ingest.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.Guard;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.problem.Problem;
import io.tracemark.ingest.health.IntakeProgress;
import io.tracemark.ingest.http.IntakeResponses;
import io.tracemark.ingest.http.JsonBodies;
import io.tracemark.ingest.records.IntakeRequest;
import io.tracemark.ingest.records.IntakeMetrics;
import io.tracemark.ingest.records.IntakeResult;
import io.tracemark.ingest.records.RecordIntake;
import io.tracemark.ingest.tenants.TenantDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import io.tracemark.edge.logging.FailureStreak;
import io.tracemark.edge.logging.LogContext;
import io.tracemark.edge.logging.LogFields;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kafka intake from {@code tracemark.records}: one JSON envelope {@code {type, idempotencyKey, visibility?,
 * payload}} per record, the tenant in header {@code tracemark-tenant}.
 *
 * <p>A poll's records are handled as one batch, grouped by tenant; the batch is acknowledged (and its
 * offsets committed) only after every record is stored or dead-lettered. A store or broker failure
 * is retried here with backoff instead of acknowledging, so nothing is lost and intake simply slows:
 * the batch's offsets stay uncommitted, the connector pauses the partitions once its buffer is full, and
 * the lag ({@link io.tracemark.ingest.health.IntakeLag}) grows until the store is back. Nothing goes to the
 * dead-letter topic for a store outage; only records that can never succeed do.
 */
@ApplicationScoped
public class RecordsConsumer {
    /** Header carrying the tenant id of a record. */
    public static final String TENANT_HEADER = "tracemark-tenant";
    /** The W3C trace context a producer may send with a record. */
    private static final String TRACEPARENT_HEADER = "traceparent";
    private static final Logger LOG = Logger.getLogger(RecordsConsumer.class);
    private static final int MAX_RECORD_BYTES = 1 << 20;

    @Inject
    RecordIntake intake;
    @Inject
    DeadLetters deadLetters;
    @Inject
    IntakeProgress progress;
    @Inject
    TenantDirectory tenants;
    @Inject
    IntakeMetrics metrics;

    @Incoming("records")
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> batch) {
        Map<String, List<ConsumerRecord<String, byte[]>>> byTenant = new LinkedHashMap<>();
        Map<String, List<IntakeRequest>> requests = new LinkedHashMap<>();
        List<DeadLetters.Rejected> rejected = new ArrayList<>();
        List<String> rejectedTypes = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> rec : batch) {
            Parsed p = parse(rec);
            if (p.problem != null) {
                rejected.add(new DeadLetters.Rejected(rec, p.problem));
                rejectedTypes.add(null);
                continue;
            }
            byTenant.computeIfAbsent(p.tenant, t -> new ArrayList<>()).add(rec);
            requests.computeIfAbsent(p.tenant, t -> new ArrayList<>()).add(p.request);
        }
        for (var e : requests.entrySet()) {
            List<ConsumerRecord<String, byte[]>> recs = byTenant.get(e.getKey());
            if (!withRetry(() -> tenants.get(e.getKey())).known()) {
                // Anyone who can write to the topic could otherwise speak for a tenant the operator never set up.
                Problem unknown = invalid("tenant-unknown", "No such tenant: " + e.getKey(), "/headers/" + TENANT_HEADER,
                        "tenant.unknown").problem();
                for (int i = 0; i < recs.size(); i++) {
                    rejected.add(new DeadLetters.Rejected(recs.get(i), unknown));
                    rejectedTypes.add(e.getValue().get(i).type());
                }
                continue;
            }
            List<IntakeResult> results = withRetry(() -> intake.accept(e.getKey(), e.getValue()));
            for (int i = 0; i < results.size(); i++) {
                IntakeResult r = results.get(i);
                int before = rejected.size();
                if (r instanceof IntakeResult.Invalid inv) {
                    rejected.add(new DeadLetters.Rejected(recs.get(i), Problem.of(inv.problemType(), 422, inv.title())
                            .fields(inv.errors()).retriable(false).build()));
                } else if (r instanceof IntakeResult.Conflict c) {
                    rejected.add(new DeadLetters.Rejected(recs.get(i), Problem.of("idempotency-conflict", 409,
                            "idempotencyKey already used for a different record")
                            .instance("/v1/records/" + c.existing().id()).retriable(false).build(), c.existing().id()));
                } else if (r instanceof IntakeResult.Duplicate d) {
                    rejected.add(new DeadLetters.Rejected(recs.get(i), IntakeResponses.duplicateProblem(d.existing()),
                            d.existing().id()));
                } else if (r instanceof IntakeResult.FactsDiffer f) {
                    rejected.add(new DeadLetters.Rejected(recs.get(i), IntakeResponses.factsDifferProblem(f.existing()),
                            f.existing().id()));
                }
                if (rejected.size() > before) {
                    // One type per dead letter, in the same order, for the per-type counter.
                    rejectedTypes.add(e.getValue().get(i).type());
                }
            }
        }
        if (!rejected.isEmpty()) {
            withRetry(() -> deadLetters.publish(rejected));
            for (int i = 0; i < rejected.size(); i++) {
                DeadLetters.Rejected r = rejected.get(i);
                metrics.deadLettered(rejectedTypes.get(i), r.problem().type().replace(Problem.TYPE_BASE, ""));
                String position = r.record().topic() + "/" + r.record().partition() + "/" + r.record().offset();
                // The record id is known only when the record collided with a stored one; the position always is.
                try (LogContext ignored = LogContext.record(r.recordId(), header(r.record(), TENANT_HEADER),
                        header(r.record(), TRACEPARENT_HEADER)).put(LogFields.KAFKA_POSITION, position)) {
                    LOG.warnf("record %s dead-lettered to the records DLQ: %s", position, r.problem().title());
                }
            }
        }
        progress.succeeded();
    }

    private record Parsed(String tenant, IntakeRequest request, Problem problem) {
    }

    private static String header(ConsumerRecord<String, byte[]> rec, String name) {
        Header h = rec.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private Parsed parse(ConsumerRecord<String, byte[]> rec) {
        String tenant = header(rec, TENANT_HEADER);
        if (tenant == null || !ApiKeyStore.TENANT_ID.matcher(tenant).matches()) {
            return invalid("tenant-missing", "Record has no valid tracemark-tenant header",
                    "/headers/" + TENANT_HEADER, "tenant.missing");
        }
        if (rec.value() == null || rec.value().length == 0) {
            return invalid("malformed-json", "Record value is empty", "", "json.empty");
        }
        if (rec.value().length > MAX_RECORD_BYTES) {
            return invalid("payload-too-large", "Record exceeds " + MAX_RECORD_BYTES + " bytes", "", "size.exceeded");
        }
        JsonNode env;
        try {
            env = JsonBodies.readUtf8(rec.value());
        } catch (Exception e) {
            return invalid("malformed-json", "Record value is not valid JSON", "", "json.malformed");
        }
        if (env == null || !env.isObject() || !env.path("type").isTextual() || !env.has("payload")) {
            return invalid("envelope-invalid", "Record is not a Tracemark envelope {type, idempotencyKey, payload}",
                    "", "envelope.invalid");
        }
        JsonNode key = env.get("idempotencyKey");
        if (key == null || !key.isTextual() || !JsonBodies.isValidIdempotencyKey(key.asText())) {
            return invalid("envelope-invalid", "idempotencyKey is required (1 to 200 printable ASCII characters)",
                    "/idempotencyKey", "idempotency-key.invalid");
        }
        JsonNode visibility = env.get("visibility");
        if (visibility != null && !visibility.isNull() && !visibility.isTextual()) {
            return invalid("envelope-invalid", "visibility is public or private", "/visibility", "visibility.invalid");
        }
        return new Parsed(tenant, new IntakeRequest(env.get("type").asText(), key.asText(), env.get("payload"))
                .withVisibility(visibility == null || visibility.isNull() ? null : visibility.asText()), null);
    }

    private static Parsed invalid(String type, String title, String pointer, String code) {
        return new Parsed(null, null, Problem.of(type, 400, title).field(pointer, code, title).retriable(false).build());
    }

    private final FailureStreak streak = new FailureStreak(LOG);

    /**
     * Retries a store or broker step until it succeeds (SmallRye Fault Tolerance: 200 ms doubling up to 10 s,
     * no limit), so a batch waits out an outage instead of being acknowledged or dead-lettered. Readiness
     * hears of every failure; the log gets the stack trace once per streak.
     */
    private final Guard untilStored = Guard.create()
            .withRetry().maxRetries(-1).delay(200, ChronoUnit.MILLIS).jitter(50, ChronoUnit.MILLIS)
            .maxDuration(3650, ChronoUnit.DAYS)
            .withExponentialBackoff().factor(2).maxDelay(10, ChronoUnit.SECONDS).done()
            .beforeRetry(this::failedOnce)
            .onSuccess(streak::succeeded)
            .done().build();
    private void failedOnce(Throwable e) {
        progress.failed();
        streak.failed("intake batch failed, retrying with backoff (up to 10 s)", e);
    }

    private <T> T withRetry(java.util.function.Supplier<T> action) {
        java.util.concurrent.atomic.AtomicReference<T> result = new java.util.concurrent.atomic.AtomicReference<>();
        untilStored.get(() -> {
            result.set(action.get());
            return Boolean.TRUE;
        }, Boolean.class);
        return result.get();
    }

    private void withRetry(Runnable action) {
        untilStored.get(() -> {
            action.run();
            return Boolean.TRUE;
        }, Boolean.class);
    }
}
