package io.tracemark.localstack.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The load driver's own flags (what to send and how to report it); see {@link LoadOptions}. */
@Command
public final class LoadFlags {
    @Option(names = "--records", paramLabel = "N", defaultValue = "20000", description = "records to send (default: ${DEFAULT-VALUE})")
    int records;
    @Option(names = "--rate", paramLabel = "R", defaultValue = "0", description = "records per second in total, 0 = flat out (default: ${DEFAULT-VALUE})")
    int rate;
    @Option(names = "--http-share", paramLabel = "F", defaultValue = "0.05", description = "fraction sent over HTTP, the rest on Kafka (default: ${DEFAULT-VALUE})")
    double httpShare;
    @Option(names = "--http-threads", paramLabel = "T", defaultValue = "8", description = "threads sending over HTTP (default: ${DEFAULT-VALUE})")
    int httpThreads;
    @Option(names = "--mix", paramLabel = "kind=weight,...", defaultValue = LoadOptions.DEFAULT_MIX,
            description = "record kinds by weight: batch, epcis, epcis-multi, work (default: ${DEFAULT-VALUE})")
    String mix;
    @Option(names = "--timeout", paramLabel = "S", defaultValue = "300", description = "seconds to wait for every record's anchoring (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;
    @Option(names = "--report", paramLabel = "<file>", description = "append the report (Markdown) to this file")
    Path report;
    @Option(names = "--webhooks", paramLabel = "N", defaultValue = "0", description = "webhook subscriptions receiving the run's events on a loopback receiver (default: ${DEFAULT-VALUE})")
    int webhooks;
    @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
            description = "records sent first through the same paths and left out of the figures, so that the measured run meets "
                    + "JIT-compiled services rather than cold ones; 0 = measure from a cold start (default: ${DEFAULT-VALUE})")
    int warmup;

    /** The options these flags describe; checks them. */
    public LoadOptions toOptions() {
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (String part : mix.split(",")) {
            String[] kv = part.split("=");
            if (kv.length != 2) {
                throw new IllegalArgumentException("--mix is kind=weight,… (e.g. " + LoadOptions.DEFAULT_MIX + "), not " + part);
            }
            try {
                weights.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--mix weights are whole numbers, not " + kv[1]);
            }
        }
        return new LoadOptions(records, rate, httpShare, weights, Duration.ofSeconds(timeoutSeconds), report, webhooks,
                httpThreads, warmup);
    }
}
