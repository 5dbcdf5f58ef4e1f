package io.tracemark.localstack.load;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report renders every figure (it only runs at the end of a long run, so a formatting slip would cost one). */
class LoadReportTest {
    private static LoadReport report(WebhookSink.Tally webhooks, StoreMetrics.Delta store, long extraLeaves) {
        LoadOptions o = LoadOptions.fromArgs(new String[]{"--records", "3", "--mix", "batch=1,epcis-multi=1", "--webhooks", "2"});
        LoadSender.Sent sent = new LoadSender.Sent(3, 2, 1, Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(2), 0,
                List.of(40L), Map.of());
        Instant t = Instant.parse("2026-12-01T00:00:00Z");
        Map<String, RunEvents.Anchored> anchored = Map.of(
                "A", new RunEvents.Anchored("A", "da", 1, t, null),
                "B", new RunEvents.Anchored("B", "db", 2, t, null),
                "C", new RunEvents.Anchored("C", "dc", 3, t, null));
        RunEvents.Result events = new RunEvents.Result(3, 3, anchored, 0, List.of(), 1, 0, 0, List.of(100L, 200L, 900L),
                List.of(50L, 60L, 70L), t,
                Map.of("record.accepted", 3L, "record.anchored", 3L));
        return new LoadReport(o, sent, events, Duration.ofSeconds(3), extraLeaves,
                new ReceiptAudit.Outcome(3, 0, 0, Map.of()), store, webhooks,
                new CpuUse.Delta(new java.util.LinkedHashMap<>(Map.of("ingest-service", 1.5)), 2)
                        .withJit(Map.of("ingest-service", 0.0015), 3),
                AnchoringSteps.between(AnchoringSteps.parse(String.join("\n",
                                // Before the measured part: a warm-up's observations, which must not count.
                                "tracemark_attest_anchoring_step_seconds_bucket{step=\"gather\",le=\"0.1\",} 0",
                                "tracemark_attest_anchoring_step_seconds_bucket{step=\"gather\",le=\"1.0\",} 0",
                                "tracemark_attest_anchoring_step_seconds_bucket{step=\"gather\",le=\"+Inf\",} 500",
                                "tracemark_attest_record_hop_seconds_bucket{hop=\"sealing\",le=\"0.5\",} 7",
                                "tracemark_attest_record_hop_seconds_bucket{hop=\"sealing\",le=\"+Inf\",} 7")),
                        AnchoringSteps.parse(String.join("\n",
                                "# TYPE tracemark_attest_anchoring_step_seconds histogram",
                                "tracemark_attest_anchoring_step_seconds_bucket{step=\"timestamp\",le=\"0.01\",} 0",
                                "tracemark_attest_anchoring_step_seconds_bucket{step=\"timestamp\",le=\"0.02\",} 100",
                                "tracemark_attest_anchoring_step_seconds_bucket{step=\"timestamp\",le=\"0.5\",} 200",
                                "tracemark_attest_anchoring_step_seconds_bucket{step=\"timestamp\",le=\"+Inf\",} 200",
                                "tracemark_attest_anchoring_step_seconds_count{step=\"timestamp\",} 200",
                                "tracemark_attest_anchoring_step_seconds_bucket{step=\"gather\",le=\"0.1\",} 0",
                                "tracemark_attest_anchoring_step_seconds_bucket{step=\"gather\",le=\"1.0\",} 100",
                                "tracemark_attest_anchoring_step_seconds_bucket{step=\"gather\",le=\"+Inf\",} 600",
                                "tracemark_attest_record_hop_seconds_bucket{hop=\"sealing\",le=\"0.1\",} 0",
                                "tracemark_attest_record_hop_seconds_bucket{hop=\"sealing\",le=\"0.3\",} 100",
                                "tracemark_attest_record_hop_seconds_bucket{hop=\"sealing\",le=\"0.5\",} 107",
                                "tracemark_attest_record_hop_seconds_bucket{hop=\"sealing\",le=\"+Inf\",} 107",
                                "tracemark_attest_record_hop_seconds_bucket{hop=\"request\",le=\"0.02\",} 100",
                                "tracemark_attest_record_hop_seconds_bucket{hop=\"request\",le=\"+Inf\",} 100"))),
                new MachineBounds.Bounds(100_000, 310, 7000, 520, 5_000_000));
    }

    @Test
    void rendersEveryFigureAndNotApplicableStoreCounters() {
        StoreMetrics.Delta store = StoreMetrics.delta(Map.of(), Map.of(
                "ingest-service", StoreMetrics.parse("tracemark_store_documents_written_total{collection=\"records\",command=\"insert\"} 3\n"
                        + "tracemark_store_commands_total{collection=\"records\",command=\"insert\"} 1\n"),
                "attest-service", StoreMetrics.parse("jvm_threads_live_threads 1\n")), 3);
        WebhookSink.Tally w = new WebhookSink.Tally(2, 12, 12, 12, 12, 0, List.of(), List.of(5L, 9L), Duration.ofSeconds(4));
        LoadReport r = report(w, store, 0);
        String md = r.markdown("--records 3");
        assertTrue(r.clean());
        assertTrue(md.contains("| first send to last anchored | 3.0 s → **1 records/s** end to end |"), md);
        assertTrue(md.contains("| store documents written per record | **1.00** (store commands per record 0.33); attest-service: n/a (no tracemark_store_documents_written_total series)"), md);
        assertTrue(md.contains("ingest-service documents per record, by collection | records 1.00 |"), md);
        assertTrue(md.contains("| webhooks: subscriptions / deliveries/s | 2 / 3 (12 deliveries in 4.0 s) |"), md);
        assertTrue(md.contains("| offered: Kafka / HTTP | 4 records/s"), md);
        assertTrue(md.contains("unique indexes tenant+idempotencyKey, tenant+naturalKey, digest"), md);
        assertTrue(md.contains("redelivered (same event id again): 1"), md);
        assertTrue(md.contains("| CPU per record, by process (ms, from the OS, send to last anchored) | ingest-service 1.50 |"), md);
        // Only the measured part: gather's 500 warm-up observations (over 1 s) are left out of its 100 in 0.1-1 s.
        assertTrue(md.contains("| attest, per sealed block, p50 / p99 (ms) | gather 550 / 991, timestamp 20 / 490 |"), md);
        assertTrue(md.contains("| per record, by hop, p50 / p99 (ms) | request 10 / 20, sealing 200 / 298 |"), md);
        assertTrue(md.contains("| accept → anchored latency p50 / p99 (record.anchored on the event log) | 200 ms / 900 ms |"), md);
        assertTrue(md.contains("| &nbsp;&nbsp;of which accept → block cut (the event's anchoredAt) p50 / p99 | 60 ms / 70 ms |"), md);
        assertTrue(md.contains("| CPU per record, all processes | 1.50 ms → at most 1333 records/s on 2 cores |"), md);
        assertTrue(md.contains("| &nbsp;&nbsp;of which JIT compiler threads (ms per record, by process) | 0.50 ms (33 %), ingest-service 0.50 |"), md);
        assertTrue(md.contains("| &nbsp;&nbsp;ingest-service store commands per record (reads included), by collection and command | records insert 0.333 |"), md);
        assertEquals(100, LoadReport.pct(List.of(100L, 200L, 900L), 0.01));
    }

    @Test
    void saysHowFarTheEmbeddedStoreAndBrokerAloneLetTheRatioToTheBoundGo() {
        LoadReport base = report(null, StoreMetrics.delta(Map.of(), Map.of(), 3), 0);
        java.util.Map<String, Double> ms = new java.util.LinkedHashMap<>();
        ms.put("ingest-service", 1.0);
        ms.put(CpuUse.MONGO, 0.35);
        ms.put(CpuUse.KAFKA, 0.25);
        LoadReport r = new LoadReport(base.options(), base.sent(), base.events(), base.total(), 0, base.receipts(),
                base.store(), null, new CpuUse.Delta(ms, 2), base.steps(), base.bounds(), null);
        String md = r.markdown("--records 3");
        // 1 record/s end to end against 7,000 docs/s; 2 cores over 0.60 ms a record: 3,333 records/s, 47.6 % of 7,000.
        assertTrue(md.contains("| end to end against the insertMany bound | 0.0 % |"), md);
        assertTrue(md.contains("(MongoDB-wire server + Kafka broker alone) | 0.60 ms per record → 3333 records/s on 2 cores"
                + " → 47.6 % of the bound |"), md);

        LoadOptions paced = LoadOptions.fromArgs(new String[]{"--records", "3", "--rate", "100"});
        String pacedMd = new LoadReport(paced, r.sent(), r.events(), r.total(), 0, r.receipts(), r.store(), null, r.cpu(),
                r.steps(), r.bounds(), null).markdown("--records 3 --rate 100");
        assertFalse(pacedMd.contains("against the insertMany bound"), "a paced run's rate is the one it was asked for");
    }

    @Test
    void quantilesComeFromBucketCountsInterpolatedWithinTheirBucket() {
        java.util.NavigableMap<Double, Double> buckets = new java.util.TreeMap<>(Map.of(0.1, 10.0, 0.2, 90.0, 0.4, 100.0,
                Double.POSITIVE_INFINITY, 100.0));
        assertEquals(0.15, AnchoringSteps.quantile(0.5, buckets), 1e-9);
        assertEquals(0.38, AnchoringSteps.quantile(0.99, buckets), 1e-9);
        buckets.put(Double.POSITIVE_INFINITY, 200.0);
        assertEquals(0.4, AnchoringSteps.quantile(0.99, buckets), 1e-9, "in the +Inf bucket: the highest finite bound");
        assertTrue(Double.isNaN(AnchoringSteps.quantile(0.5, new java.util.TreeMap<>(Map.of(Double.POSITIVE_INFINITY, 0.0)))),
                "no observations, no quantile");
    }

    @Test
    void aWarmUpIsReportedApartAndAnUncleanOneMakesTheRunUnclean() {
        StoreMetrics.Delta none = StoreMetrics.delta(Map.of(), Map.of(), 3);
        LoadReport measured = report(null, none, 0);
        LoadReport warm = measured.afterWarmup(report(null, none, 0));
        String md = warm.markdown("--warmup 3");
        assertTrue(md.contains("| warm-up first (same stack and paths, not counted below) | 3 records: 1 records/s end to end, "
                + "accept → anchored p50 200 ms / p99 900 ms, CPU 1.50 ms per record; lost / duplicated / unverifiable 0 / 0 / 0 |"), md);
        assertTrue(md.indexOf("warm-up first") < md.indexOf("| records (Kafka / HTTP)"), md);
        assertTrue(warm.clean());
        assertFalse(measured.afterWarmup(report(null, none, 1)).clean(), "a duplicated leaf in the warm-up is still a duplicate");
        assertFalse(measured.markdown("").contains("warm-up"), "no warm-up row without a warm-up");
    }

    @Test
    void extraLeavesOrMissingWebhooksMakeTheRunUnclean() {
        StoreMetrics.Delta none = StoreMetrics.delta(Map.of(), Map.of(), 3);
        assertTrue(report(null, none, 0).markdown("").contains("| store documents written per record | n/a |"));
        assertEquals(1, report(null, none, 1).duplicated());
        assertFalse(report(null, none, 1).clean());
        WebhookSink.Tally missing = new WebhookSink.Tally(2, 11, 11, 11, 12, 0, List.of(), List.of(), Duration.ZERO);
        assertFalse(report(missing, none, 0).clean());
    }
}
