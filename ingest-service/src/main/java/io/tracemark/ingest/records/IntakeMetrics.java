package io.tracemark.ingest.records;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * What became of submitted records, per record type, as Prometheus counters: every intake result
 * (HTTP and Kafka) and every Kafka record parked on the dead-letter topic with its reason. Type names
 * outside the known ones count as {@code unknown}, so a client cannot grow the label set.
 */
@ApplicationScoped
public class IntakeMetrics {
    /** Meter of every intake result, tagged {@code type} and {@code outcome}. */
    public static final String RECORDS = "tracemark.ingest.records";
    /** Meter of Kafka records dead-lettered, tagged {@code type} and {@code reason} (the RFC 9457 problem type). */
    public static final String DEAD_LETTERED = "tracemark.ingest.dead.lettered";

    private final MeterRegistry registry;
    private final Set<String> knownTypes;

    public IntakeMetrics(MeterRegistry registry, jakarta.enterprise.inject.Instance<RecordType> types) {
        this.registry = registry;
        this.knownTypes = types.stream().map(RecordType::name).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Counts one intake result of a record of {@code type}. */
    public void counted(String type, IntakeResult result) {
        String outcome;
        if (result instanceof IntakeResult.Accepted) {
            outcome = "accepted";
        } else if (result instanceof IntakeResult.Invalid) {
            outcome = "rejected";
        } else if (result instanceof IntakeResult.Conflict) {
            outcome = "conflict";
        } else {
            outcome = "duplicate";
        }
        Counter.builder(RECORDS).baseUnit("records")
                .description("records submitted over HTTP or Kafka, by type and outcome: accepted (stored, or an "
                        + "identical retry), rejected (invalid), conflict (idempotency key reused), duplicate")
                .tag("type", label(type)).tag("outcome", outcome).register(registry).increment();
    }

    /** Counts one Kafka record parked on the dead-letter topic. */
    public void deadLettered(String type, String reason) {
        Counter.builder(DEAD_LETTERED).baseUnit("records")
                .description("Kafka records parked on tracemark.records.dlq, by type and reason (RFC 9457 problem type)")
                .tag("type", label(type)).tag("reason", reason).register(registry).increment();
    }

    private String label(String type) {
        return type != null && knownTypes.contains(type) ? type : "unknown";
    }
}
