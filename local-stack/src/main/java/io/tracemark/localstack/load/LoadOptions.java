package io.tracemark.localstack.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * What the load driver sends: how many records, at what total rate (0 = flat out), which share over
 * HTTP and on how many HTTP threads, the mix of record kinds by weight, and how many webhook
 * subscriptions receive the run's events.
 */
public record LoadOptions(int records, int ratePerSecond, double httpShare, Map<String, Integer> mix,
                          Duration anchorTimeout, Path report, int webhooks, int httpThreads) {

    /** The mix when none is given. */
    public static final String DEFAULT_MIX = "batch=6,epcis=3,work=1";

    /** Validates the figures and copies the mix. */
    public LoadOptions {
        if (records < 0 || ratePerSecond < 0 || webhooks < 0 || httpThreads < 1) {
            throw new IllegalArgumentException("--records, --rate and --webhooks must be >= 0 and --http-threads >= 1");
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

    /**
     * Parses {@code --records N --rate R --http-share F --http-threads T --mix batch=6,epcis=3,work=1
     * --timeout S --report FILE --webhooks N}, refusing any other flag.
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
