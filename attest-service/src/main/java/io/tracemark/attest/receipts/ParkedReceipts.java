package io.tracemark.attest.receipts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records whose receipt could not be built whole, by reason ({@code tracemark_attest_receipts_parked_total}),
 * for metrics and readiness detail: their {@code record.anchored} still goes out, but says less than a receipt
 * should, so an operator must see them rather than find them in a log.
 */
@ApplicationScoped
@Startup
public class ParkedReceipts {
    /** The record's salt and canonical text were neither handed over by the ledger step nor in the records collection. */
    public static final String CONTENT_MISSING = "content-missing";

    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public ParkedReceipts(MeterRegistry meters) {
        this.meters = meters;
        counter(CONTENT_MISSING);
    }

    /** Counts {@code records} receipts parked for {@code reason}. */
    public void park(String reason, long records) {
        counter(reason).increment(records);
    }

    /** Receipts parked since start, by reason. */
    public Map<String, Long> byReason() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((reason, c) -> out.put(reason, (long) c.count()));
        return out;
    }

    private Counter counter(String reason) {
        return counters.computeIfAbsent(reason, r -> Counter.builder("tracemark.attest.receipts.parked").tag("reason", r)
                .description("records whose receipt could not be built whole (content-missing: it proves the digest but "
                        + "carries no content to recompute it)").baseUnit("records").register(meters));
    }
}
