package io.tracemark.localstack.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * What the load driver sends: how many records, at what total rate (0 = flat out), which share over
 * HTTP and on how many HTTP threads, the mix of record kinds by weight, how many webhook
 * subscriptions receive the run's events, and how many records to send first, uncounted, to warm the stack.
 */
public record LoadOptions(int records, int ratePerSecond, double httpShare, Map<String, Integer> mix,
                          Duration anchorTimeout, Path report, int webhooks, int httpThreads, int warmup) {

    /** The mix when none is given. */
    public static final String DEFAULT_MIX = "batch=6,epcis=3,work=1";

    /** Validates the figures and copies the mix. */
    public LoadOptions {
        if (records < 0 || ratePerSecond < 0 || webhooks < 0 || httpThreads < 1 || warmup < 0) {
            throw new IllegalArgumentException("--records, --rate, --webhooks and --warmup must be >= 0 and --http-threads >= 1");
        }
        if (httpShare < 0 || httpShare > 1) {
            throw new IllegalArgumentException("--http-share is a fraction between 0 and 1, not " + httpShare);
        }
        for (String kind : mix.keySet()) {
            if (!RecordFactory.KINDS.contains(kind)) {
                throw new IllegalArgumentException("unknown record kind '" + kind + "' in --mix; known: " + RecordFactory.KINDS);
            }
        }
        mix = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(mix));
    }

    /** Options with every figure equal but the records to send (the warm-up run's), and no warm-up of its own. */
    public LoadOptions withRecords(int count) {
        return new LoadOptions(count, ratePerSecond, httpShare, mix, anchorTimeout, report, webhooks, httpThreads, 0);
    }

    /** Options without a warm-up (a run inside a test, or a fault schedule that wants the cold stack). */
    public LoadOptions(int records, int ratePerSecond, double httpShare, Map<String, Integer> mix,
                       Duration anchorTimeout, Path report, int webhooks, int httpThreads) {
        this(records, ratePerSecond, httpShare, mix, anchorTimeout, report, webhooks, httpThreads, 0);
    }

    /**
     * Parses {@code --records N --rate R --http-share F --http-threads T --mix batch=6,epcis=3,work=1
     * --timeout S --report FILE --webhooks N --warmup N}, refusing any other flag.
     */
    public static LoadOptions fromArgs(String[] args) {
        LoadFlags flags = new LoadFlags();
        try {
            new CommandLine(flags).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return flags.toOptions();
    }
}
