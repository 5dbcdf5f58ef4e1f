package io.tracemark.localstack.load;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The figures of one load run, and their markdown for BENCHMARKS.md. */
public record LoadReport(LoadOptions options, LoadSender.Sent sent, AnchorWatch.Result anchored, Duration total,
                         long duplicateLeaves, ReceiptChecker.Outcome receipts, MachineBounds.Bounds bounds) {

    LoadReport withBounds(MachineBounds.Bounds b) {
        return new LoadReport(options, sent, anchored, total, duplicateLeaves, receipts, b);
    }

    /** Records sent but never anchored. */
    public long lost() {
        return sent.count() - anchored.anchored();
    }

    /** Second copies of a record: in the store, or as extra leaves in the log. */
    public long duplicated() {
        return anchored.storedDuplicates() + duplicateLeaves;
    }

    /** Anchored records whose receipt did not verify offline. */
    public long unverifiable() {
        return receipts.failures().size() + (anchored.anchored() - receipts.checked());
    }

    /** Ids of the run's records that were anchored. */
    public java.util.Set<String> anchoredRecordIds() {
        return anchored.digests().keySet();
    }

    /** Whether nothing was lost, duplicated or unverifiable. */
    public boolean clean() {
        return lost() == 0 && duplicated() == 0 && unverifiable() == 0;
    }

    private static long pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    String markdown(String args) {
        StringBuilder b = new StringBuilder();
        b.append("### End-to-end load run, ").append(Instant.now()).append("\n\n");
        b.append("Command: `java -cp 'local-stack/target/local-stack.jar:local-stack/target/lib/*' ")
                .append("io.tracemark.localstack.load.LoadDriver ").append(args).append("`\n\n");
        b.append("| measure | value |\n| --- | --- |\n");
        b.append("| records (Kafka / HTTP) | ").append(sent.count()).append(" (").append(sent.viaKafka()).append(" / ")
                .append(sent.viaHttp()).append(")").append(" |\n");
        b.append("| mix | ").append(options.mix()).append(" |\n");
        b.append("| target rate | ").append(options.ratePerSecond() == 0 ? "flat out" : options.ratePerSecond() + " records/s").append(" |\n");
        b.append(String.format("| send phase | %.1f s (%.0f records/s offered) |%n", sent.took().toMillis() / 1000.0,
                sent.count() / Math.max(0.001, sent.took().toMillis() / 1000.0)));
        b.append(String.format("| first send to last anchored | %.1f s → **%.0f records/s** end to end |%n",
                total.toMillis() / 1000.0, anchored.anchored() / Math.max(0.001, total.toMillis() / 1000.0)));
        b.append("| accept → anchored latency p50 / p99 | ").append(pct(anchored.latenciesMs(), 0.5)).append(" ms / ")
                .append(pct(anchored.latenciesMs(), 0.99)).append(" ms |\n");
        b.append("| lost / duplicated / unverifiable | ").append(lost()).append(" / ").append(duplicated()).append(" / ")
                .append(unverifiable()).append(" |\n");
        b.append("| receipts checked offline | ").append(receipts.checked()).append(" |\n");
        if (bounds != null) {
            b.append(String.format("| bound: Kafka producer alone (300 B, acks=all) | %.0f records/s |%n", bounds.kafkaRecordsPerSecond()));
            b.append(String.format("| bound: MongoDB-wire insertMany alone | %.0f docs/s |%n", bounds.mongoDocsPerSecond()));
            b.append(String.format("| bound: SHA-256 of 300 B, one core | %.0f /s |%n", bounds.sha256PerSecond()));
        }
        return b.toString();
    }
}
