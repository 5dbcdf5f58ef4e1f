package io.tracemark.attest.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tracemark.attest.blocks.BlockCopies;
import io.tracemark.attest.receipts.AnchoredRecord;
import io.tracemark.attest.tracing.RecordHops;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** What anchoring measures: records anchored and their latency hop by hop, partly signed blocks, time per step. */
@ApplicationScoped
public class AnchoringMetrics {
    private static final Logger LOG = Logger.getLogger(AnchoringMetrics.class);

    private final MeterRegistry meters;
    private final RecordHops hops;
    private final Timer latency;
    private final Counter anchored;
    private final Counter unsigned;
    private final Map<String, Timer> steps = new ConcurrentHashMap<>();

    public AnchoringMetrics(MeterRegistry meters, RecordHops hops) {
        this.meters = meters;
        this.hops = hops;
        latency = Timer.builder("tracemark.anchoring.latency")
                .description("time from a record's acceptance by ingest to its record.anchored event being committed")
                .publishPercentileHistogram().register(meters);
        anchored = Counter.builder("tracemark.attest.anchored").baseUnit("records")
                .description("record.anchored events committed, one per record").register(meters);
        unsigned = Counter.builder("tracemark.attest.partially.signed").baseUnit("blocks")
                .description("blocks anchored with fewer replica signatures than expected (signature-wait passed)").register(meters);
    }

    /** Time a block spent in one step of anchoring. */
    void step(String name, long nanos) {
        steps.computeIfAbsent(name, n -> Timer.builder("tracemark.attest.anchoring.step").tag("step", n)
                .description("time a sealed block spends in each step of anchoring: gather (waiting for replica copies),"
                        + " leaves (reading its leaf batches back), timestamp (waiting for its RFC 3161 token),"
                        + " witnesses (waiting for witness evidence), receipts (building them), commit (the Kafka transaction)")
                .publishPercentileHistogram().register(meters)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts a committed block and its records' latency, hop by hop; {@code now} and {@code nowNanos} are one instant. */
    void committed(BlockEvents.Built b, long now, long nowNanos, Duration signatureWait) {
        BlockCopies.Gathered g = b.block();
        anchored.increment(b.events().size());
        if (g.signatures() < b.expected()) {
            unsigned.increment();
            LOG.warnf("block %d anchored with %d of %d replica signatures after waiting %s", g.header().height(),
                    g.signatures(), b.expected(), signatureWait);
        }
        long seen = now - (nowNanos - g.firstSeenNanos()) / 1_000_000;
        long released = now - (nowNanos - b.releasedNanos()) / 1_000_000;
        long cut = g.header().timeMillis();
        for (AnchoredRecord a : b.anchored()) {
            latency.record(Duration.ofMillis(Math.max(0, now - a.record().acceptedAtMillis())));
            hops.record(RecordHops.Hop.SEALING, a.batchedAtMillis(), cut);
            hops.record(RecordHops.Hop.SIGNING, cut, g.firstPublishedMillis());
            hops.record(RecordHops.Hop.PICKUP, g.firstPublishedMillis(), seen);
            hops.record(RecordHops.Hop.GATHER, seen, released);
            hops.record(RecordHops.Hop.RECEIPTS, released, now);
        }
    }
}
