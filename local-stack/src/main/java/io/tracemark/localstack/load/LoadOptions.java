package io.tracemark.localstack.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the load driver sends: how many records, at what rate (0 = flat out), which share over HTTP,
 * and the mix of record types by weight.
 */
public record LoadOptions(int records, int ratePerSecond, double httpShare, Map<String, Integer> mix,
                          Duration anchorTimeout, Path report) {

    /** Parses {@code --records N --rate R --http-share F --mix batch=6,epcis=3,work=1 --timeout S --report FILE}. */
    public static LoadOptions fromArgs(String[] args) {
        int records = Integer.parseInt(arg(args, "--records", "20000"));
        int rate = Integer.parseInt(arg(args, "--rate", "0"));
        double http = Double.parseDouble(arg(args, "--http-share", "0.05"));
        Map<String, Integer> mix = new LinkedHashMap<>();
        for (String part : arg(args, "--mix", "batch=6,epcis=3,work=1").split(",")) {
            String[] kv = part.split("=");
            mix.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
        }
        Duration timeout = Duration.ofSeconds(Long.parseLong(arg(args, "--timeout", "300")));
        String report = arg(args, "--report", "");
        return new LoadOptions(records, rate, http, mix, timeout, report.isEmpty() ? null : Path.of(report));
    }

    static String arg(String[] args, String flag, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(flag)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}
