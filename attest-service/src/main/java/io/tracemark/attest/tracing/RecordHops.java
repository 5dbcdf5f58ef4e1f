package io.tracemark.attest.tracing;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where a record's time from acceptance to its {@code record.anchored} event goes, hop by hop, per record
 * ({@code tracemark_attest_record_hop_seconds{hop}}: cumulative buckets, so quantiles come from the server). Each hop is the difference
 * of two times the pipeline already carries (the records' acceptance time, Kafka record timestamps, the block's
 * closing time), so an operator sees which service holds records without tracing them one by one. Together the
 * hops add up to {@code tracemark_anchoring_latency_seconds}.
 */
@ApplicationScoped
public class RecordHops {
    /** One hop of a record's way, in pipeline order. */
    public enum Hop {
        REQUEST("request", "ingest: accepted -> its anchor request on Kafka"),
        LEDGER("ledger", "attest ledger step: anchor request on Kafka -> its leaf batch committed"),
        SEALING("sealing", "chain node: leaf batch on Kafka -> the block that appends it is cut"),
        SIGNING("signing", "chain node: block cut -> first replica's signed copy on Kafka (durable, signed)"),
        PICKUP("pickup", "attest: first replica's copy on Kafka -> read by the anchoring step"),
        GATHER("gather", "attest: first copy read -> every replica's signature in (or the wait bound passed)"),
        RECEIPTS("receipts", "attest: signatures in -> record.anchored committed (leaves, time-stamp, witnesses, receipts, commit)");

        private final String tag;
        private final String help;

        Hop(String tag, String help) {
            this.tag = tag;
            this.help = help;
        }

        /** The {@code hop} label value. */
        public String tag() {
            return tag;
        }
    }

    private static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final Map<Hop, Timer> timers = new EnumMap<>(Hop.class);

    public RecordHops(MeterRegistry meters) {
        // One help text for every series of the metric (Prometheus keeps one per name).
        StringBuilder help = new StringBuilder("time each record spends in each hop from acceptance to record.anchored:");
        for (Hop h : Hop.values()) {
            help.append(' ').append(h.tag).append(" (").append(h.help).append(')').append(h.ordinal() < Hop.values().length - 1 ? ";" : "");
        }
        for (Hop h : Hop.values()) {
            timers.put(h, Timer.builder("tracemark.attest.record.hop").tag("hop", h.tag).description(help.toString())
                    .publishPercentileHistogram().serviceLevelObjectives(BUCKETS).register(meters));
        }
    }

    /** Records that one record spent {@code fromMillis} → {@code toMillis} (epoch ms) in {@code hop}; clock skew counts as 0. */
    public void record(Hop hop, long fromMillis, long toMillis) {
        timers.get(hop).record(Math.max(0, toMillis - fromMillis), TimeUnit.MILLISECONDS);
    }

    /** The timer of {@code hop}. */
    public Timer timer(Hop hop) {
        return timers.get(hop);
    }
}
