package io.tracemark.localstack.load;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The figures of one load run, and their markdown for BENCHMARKS.md.
 *
 * @param events          what the run tenant's events on {@code tracemark.events} said
 * @param total           first send to last anchored
 * @param duplicateLeaves leaves of the run's digests in chain-node-1's tree beyond each one's first
 * @param store           store writes during the run, from the services' counters
 * @param webhooks        the webhook receiver's tally, or null when the run had no subscriptions
 * @param cpu             CPU per record by process during the run, or null when not sampled
 * @param steps           where a block's time went in attest, or null when not read
 * @param bounds          the machine's bounds, or null when not measured (a run inside a test)
 * @param warmup          the uncounted run that preceded this one on the same stack, or null when there was none
 */
public record LoadReport(LoadOptions options, LoadSender.Sent sent, RunEvents.Result events, Duration total,
                         long duplicateLeaves, ReceiptAudit.Outcome receipts, StoreMetrics.Delta store,
                         WebhookSink.Tally webhooks, CpuUse.Delta cpu, AnchoringSteps steps,
                         MachineBounds.Bounds bounds, LoadReport warmup) {

    /** A report of a run on a stack nobody warmed up first. */
    public LoadReport(LoadOptions options, LoadSender.Sent sent, RunEvents.Result events, Duration total,
                      long duplicateLeaves, ReceiptAudit.Outcome receipts, StoreMetrics.Delta store,
                      WebhookSink.Tally webhooks, CpuUse.Delta cpu, AnchoringSteps steps, MachineBounds.Bounds bounds) {
        this(options, sent, events, total, duplicateLeaves, receipts, store, webhooks, cpu, steps, bounds, null);
    }

    LoadReport withBounds(MachineBounds.Bounds b) {
        return new LoadReport(options, sent, events, total, duplicateLeaves, receipts, store, webhooks, cpu, steps, b, warmup);
    }

    LoadReport afterWarmup(LoadReport w) {
        return new LoadReport(options, sent, events, total, duplicateLeaves, receipts, store, webhooks, cpu, steps, bounds, w);
    }

    /** Records anchored per second, first send to last anchored. */
    public double endToEndPerSecond() {
        return events.anchored() / seconds(total);
    }

    /** Records sent but never anchored (count-based: distinct anchored records against records sent). */
    public long lost() {
        return Math.max(0, sent.count() - events.anchored());
    }

    /**
     * Second copies of a record: more distinct records in the events than were sent (one request stored
     * twice), extra leaves of the run's digests in the log, and records anchored again at another leaf.
     * Redelivered events (the same event id again) are not duplicates; see {@link RunEvents.Result#redeliveredEvents()}.
     */
    public long duplicated() {
        return Math.max(0, events.distinctRecords() - sent.count()) + duplicateLeaves + events.reanchored();
    }

    /** Anchored records whose receipt did not verify offline, or was not checked. */
    public long unverifiable() {
        return receipts.failures().size() + (events.anchored() - receipts.checked());
    }

    /** Ids of the run's records that were anchored. */
    public Set<String> anchoredRecordIds() {
        return events.anchoredRecords().keySet();
    }

    /** Whether nothing was lost, duplicated or unverifiable, and every webhook arrived correctly signed. */
    public boolean clean() {
        return (warmup == null || warmup.clean()) && lost() == 0 && duplicated() == 0 && unverifiable() == 0 && (webhooks == null
                || webhooks.invalidSignatures() == 0 && webhooks.eventDeliveries() >= webhooks.expectedEventDeliveries());
    }

    static long pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)));
    }

    private static double seconds(Duration d) {
        return Math.max(0.001, d.toMillis() / 1000.0);
    }

    String markdown(String args) {
        StringBuilder b = new StringBuilder();
        b.append("### End-to-end load run, ").append(Instant.now()).append("\n\n");
        b.append("Command: `java -cp 'local-stack/target/local-stack.jar:local-stack/target/lib/*' ")
                .append("io.tracemark.localstack.load.LoadDriver ").append(args).append("`\n\n");
        b.append("| measure | value |\n| --- | --- |\n");
        if (warmup != null) {
            row(b, "warm-up first (same stack and paths, not counted below)", String.format(
                    "%d records: %.0f records/s end to end, accept → anchored p50 %d ms / p99 %d ms, %s%s; lost / duplicated / unverifiable %d / %d / %d",
                    warmup.sent().count(), warmup.endToEndPerSecond(), pct(warmup.events().latenciesMs(), 0.5),
                    pct(warmup.events().latenciesMs(), 0.99),
                    warmup.cpu() == null ? "CPU n/a" : String.format("CPU %.2f ms per record", warmup.cpu().totalMsPerRecord()),
                    warmup.store() == null || warmup.store().documentsPerRecord() < 0 ? ""
                            : String.format(", %.2f store documents per record", warmup.store().documentsPerRecord()),
                    warmup.lost(), warmup.duplicated(), warmup.unverifiable()));
        }
        row(b, "records (Kafka / HTTP)", sent.count() + " (" + sent.viaKafka() + " / " + sent.viaHttp() + ")");
        row(b, "mix", options.mix().toString());
        row(b, "target rate", options.ratePerSecond() == 0 ? "flat out" : options.ratePerSecond() + " records/s in total");
        row(b, "send phase", String.format("%.1f s (%.0f records/s offered in total)", seconds(sent.took()),
                sent.count() / seconds(sent.took())));
        row(b, "offered: Kafka / HTTP", String.format("%.0f records/s (%.1f s to the last ack) / %.0f records/s"
                        + " (%.1f s to the last answer, %d threads; request p50 %d ms, p99 %d ms)",
                sent.kafkaOfferedPerSecond(), seconds(sent.kafkaTook()), sent.httpOfferedPerSecond(), seconds(sent.httpTook()),
                options.httpThreads(), pct(sent.httpLatenciesMs(), 0.5), pct(sent.httpLatenciesMs(), 0.99)));
        row(b, "first send to last anchored", String.format("%.1f s → **%.0f records/s** end to end", seconds(total),
                events.anchored() / seconds(total)));
        row(b, "accept → anchored latency p50 / p99 (record.anchored on the event log)", pct(events.latenciesMs(), 0.5)
                + " ms / " + pct(events.latenciesMs(), 0.99) + " ms");
        row(b, "&nbsp;&nbsp;of which accept → block cut (the event's anchoredAt) p50 / p99", pct(events.sealedMs(), 0.5)
                + " ms / " + pct(events.sealedMs(), 0.99) + " ms");
        row(b, "lost / duplicated / unverifiable", lost() + " / " + duplicated() + " / " + unverifiable());
        row(b, "events (distinct, by type)", new TreeMap<>(events.eventsByType()) + "; redelivered (same event id again): "
                + events.redeliveredEvents());
        if (events.rejected() > 0 || sent.gaveUp() > 0) {
            row(b, "rejected / given up", events.rejected() + " " + events.rejections() + " / " + sent.gaveUp() + " "
                    + sent.httpFailures());
        }
        row(b, "receipts checked offline (proofs ReceiptVerifier, threshold = replicas)", receipts.checked()
                + (receipts.withoutTimestamp() > 0 ? " (" + receipts.withoutTimestamp() + " without an RFC 3161 token)" : "")
                + (events.underSigned() > 0 ? "; " + events.underSigned() + " anchored with fewer signatures than expected"
                + " (judged by verify's receipt after recovery; " + receipts.fetchedAgain() + " complete only when fetched again)" : ""));
        storeRows(b);
        if (cpu != null) {
            cpuRows(b);
        }
        if (steps != null) {
            row(b, "attest, per sealed block, p50 / p99 (ms)", steps.render());
            row(b, "per record, by hop, p50 / p99 (ms)", steps.renderHops());
        }
        if (webhooks != null) {
            webhookRows(b);
        }
        if (bounds != null) {
            row(b, String.format("bound: Kafka producer alone (the run's envelopes, mean %d B, acks=all)", bounds.meanEnvelopeBytes()),
                    String.format("%.0f records/s", bounds.kafkaRecordsPerSecond()));
            row(b, String.format("bound: MongoDB-wire insertMany alone (record documents, mean %d B; unique indexes "
                            + "tenant+idempotencyKey, tenant+naturalKey, digest)", bounds.meanDocumentBytes()),
                    String.format("%.0f docs/s", bounds.mongoDocsPerSecond()));
            row(b, "bound: SHA-256 of 300 B, one core", String.format("%.0f /s", bounds.sha256PerSecond()));
            boundRatioRows(b);
        }
        return b.toString();
    }

    private void storeRows(StringBuilder b) {
        double perRecord = store.documentsPerRecord();
        StringBuilder missing = new StringBuilder();
        store.services().values().stream().filter(s -> s.unavailable() != null)
                .forEach(s -> missing.append("; ").append(s.service()).append(": n/a (").append(s.unavailable()).append(")"));
        row(b, "store documents written per record", (perRecord < 0 ? "n/a" : String.format("**%.2f**", perRecord))
                + (perRecord >= 0 && store.commandsPerRecord() >= 0
                ? String.format(" (store commands per record %.2f)", store.commandsPerRecord()) : "") + missing);
        for (StoreMetrics.ServiceDelta s : store.services().values()) {
            if (s.unavailable() != null) {
                continue;
            }
            StringBuilder by = new StringBuilder();
            for (Map.Entry<String, Double> e : s.documentsByCollection().entrySet()) {
                by.append(by.isEmpty() ? "" : ", ").append(e.getKey())
                        .append(String.format(" %.2f", e.getValue() / Math.max(1, store.records())));
            }
            row(b, "&nbsp;&nbsp;" + s.service() + " documents per record, by collection", by.isEmpty() ? "none" : by.toString());
            StringBuilder cmds = new StringBuilder();
            s.commandsBySeries().forEach((series, n) -> cmds.append(cmds.isEmpty() ? "" : ", ").append(series)
                    .append(String.format(" %.3f", n / Math.max(1, store.records()))));
            if (!cmds.isEmpty()) {
                row(b, "&nbsp;&nbsp;" + s.service() + " store commands per record (reads included), by collection and command",
                        cmds.toString());
            }
        }
    }

    private void cpuRows(StringBuilder b) {
        StringBuilder by = new StringBuilder();
        cpu.msPerRecord().forEach((name, ms) -> by.append(by.isEmpty() ? "" : ", ").append(name)
                .append(String.format(" %.2f", ms)));
        row(b, "CPU per record, by process (ms, from the OS, send to last anchored)", by.toString());
        row(b, "CPU per record, all processes", String.format("%.2f ms → at most %.0f records/s on %d cores",
                cpu.totalMsPerRecord(), cpu.ceilingPerSecond(), cpu.cores()));
        if (!cpu.jitMsPerRecord().isEmpty()) {
            StringBuilder jit = new StringBuilder();
            cpu.jitMsPerRecord().forEach((name, ms) -> jit.append(", ").append(name).append(String.format(" %.2f", ms)));
            row(b, "&nbsp;&nbsp;of which JIT compiler threads (ms per record, by process)", String.format("%.2f ms (%.0f %%)%s",
                    cpu.jitTotalMsPerRecord(), 100 * cpu.jitTotalMsPerRecord() / Math.max(1e-9, cpu.totalMsPerRecord()), jit));
        }
    }

    /**
     * End to end against the insertMany bound, and the most that ratio could be on this machine: the embedded
     * MongoDB-wire server and Kafka broker run on the same cores as everything else, so their own CPU per
     * record caps the stack even if every Tracemark service cost nothing. Flat-out runs only: a paced run's rate is
     * the one asked for, and its CPU per record holds per-second costs that a faster run spreads thinner.
     */
    private void boundRatioRows(StringBuilder b) {
        double bound = bounds.mongoDocsPerSecond();
        if (bound <= 0 || options.ratePerSecond() != 0) {
            return;
        }
        row(b, "end to end against the insertMany bound", String.format("%.1f %%", 100 * endToEndPerSecond() / bound));
        if (cpu == null) {
            return;
        }
        double infra = cpu.msPerRecord().getOrDefault(CpuUse.MONGO, 0.0) + cpu.msPerRecord().getOrDefault(CpuUse.KAFKA, 0.0);
        if (infra > 0) {
            double ceiling = cpu.cores() * 1000.0 / infra;
            row(b, "&nbsp;&nbsp;at most, were every Tracemark service free (MongoDB-wire server + Kafka broker alone)",
                    String.format("%.2f ms per record → %.0f records/s on %d cores → %.1f %% of the bound", infra, ceiling,
                            cpu.cores(), 100 * ceiling / bound));
        }
    }

    private void webhookRows(StringBuilder b) {
        WebhookSink.Tally w = webhooks;
        row(b, "webhooks: subscriptions / deliveries/s", w.subscriptions() + " / " + String.format("%.0f", w.perSecond())
                + String.format(" (%d deliveries in %.1f s)", w.deliveries(), seconds(w.span())));
        row(b, "webhooks: event → delivery p50 / p99", pct(w.latenciesMs(), 0.5) + " ms / " + pct(w.latenciesMs(), 0.99) + " ms");
        row(b, "webhooks: deliveries / distinct webhook-ids / events delivered of expected",
                w.deliveries() + " / " + w.distinctIds() + " / " + w.eventDeliveries() + " of " + w.expectedEventDeliveries());
        row(b, "webhooks: invalid signatures", w.invalidSignatures() + (w.invalidExamples().isEmpty() ? "" : " " + w.invalidExamples()));
    }

    private static void row(StringBuilder b, String measure, String value) {
        b.append("| ").append(measure).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
    }
}
