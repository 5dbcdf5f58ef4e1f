package io.tracemark.attest.ledger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tracemark.attest.intake.IntakeBatch;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ledger step's counters: anchor requests by outcome ({@code tracemark_attest_requests_records_total}), leaf
 * batches committed, and requests dead-lettered by record type and reason
 * ({@code tracemark_attest_dead_lettered_records_total}), so a poison request shows on a dashboard, not only in a log.
 */
final class RequestMetrics {
    /** Record types ingest publishes; any other type a poison message names counts as {@code unknown}. */
    static final Set<String> TYPES = Set.of("product.batch", "epcis.event", "media.work");
    private static final String UNKNOWN = "unknown";

    private final MeterRegistry meters;
    private final Counter accepted;
    private final Counter repeats;
    private final Counter poison;
    private final Counter batches;
    private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();

    RequestMetrics(MeterRegistry meters) {
        this.meters = meters;
        accepted = requests(meters, "accepted", "anchor requests whose leaf was committed to the leaves topic");
        repeats = requests(meters, "repeat", "anchor requests for a record already sent lately (dropped)");
        poison = requests(meters, "dead-lettered", "anchor requests that broke the contract, parked on the dead-letter topic");
        batches = Counter.builder("tracemark.attest.leaf.batches").baseUnit("batches")
                .description("leaf batches committed").register(meters);
        // The JSON is unreadable for most poison: that series is there before the first one.
        deadLettered(UNKNOWN, "anchor-request.json");
    }

    private static Counter requests(MeterRegistry meters, String outcome, String help) {
        return Counter.builder("tracemark.attest.requests").baseUnit("records").tag("outcome", outcome)
                .description(help).register(meters);
    }

    /** Counts one committed poll. */
    void committed(IntakeBatch batch, int leafBatches) {
        accepted.increment(batch.fresh().size());
        repeats.increment(batch.repeats());
        poison.increment(batch.poison().size());
        batches.increment(leafBatches);
        for (IntakeBatch.Poison p : batch.poison()) {
            deadLettered(p.about().type(), p.code()).increment();
        }
    }

    private Counter deadLettered(String type, String reason) {
        String label = type != null && TYPES.contains(type) ? type : UNKNOWN;
        return deadLettered.computeIfAbsent(label + "|" + reason, k -> Counter.builder("tracemark.attest.dead.lettered")
                .baseUnit("records").tag("type", label).tag("reason", reason)
                .description("anchor requests parked on the anchor-requests dead-letter topic, by record type and reason "
                        + "(the contract's code, e.g. anchor-request.digest)").register(meters));
    }
}
