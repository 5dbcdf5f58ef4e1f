package io.tracemark.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One service's {@code /q/metrics} at one moment, parsed from the Prometheus text exposition format: every sample
 * with its labels, and the {@code # HELP} and {@code # TYPE} of every metric family.
 */
final class PrometheusScrape {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: \\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    /**
     * Suffixes the text format adds to a family's name for its samples ({@code _max} is not one: Micrometer exports a
     * timer's maximum as a gauge family of its own).
     */
    private static final List<String> SUFFIXES = List.of("_total", "_bucket", "_count", "_sum", "_created");

    /** One sample: series name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {
        boolean has(Map<String, String> wanted) {
            return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        }
    }

    private final List<Sample> samples;
    private final Map<String, String> help;
    private final Map<String, String> types;

    private PrometheusScrape(List<Sample> samples, Map<String, String> help, Map<String, String> types) {
        this.samples = samples;
        this.help = help;
        this.types = types;
    }

    /** Scrapes {@code baseUrl/q/metrics}; fails unless it answers 200. */
    static PrometheusScrape of(String baseUrl) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics"))
                .header("Accept", "text/plain; version=0.0.4").timeout(Duration.ofSeconds(15)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(baseUrl + "/q/metrics answered HTTP " + r.statusCode());
        }
        return parse(r.body());
    }

    /** Parses a text exposition. */
    static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> help = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ", 2);
                (line.startsWith("# HELP ") ? help : types).put(family(parts[0]), parts.length > 1 ? parts[1] : "");
                continue;
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return new PrometheusScrape(samples, help, types);
    }

    /** A family's name without the suffix the format adds to counters and histograms. */
    static String family(String name) {
        for (String s : SUFFIXES) {
            if (name.endsWith(s)) {
                return name.substring(0, name.length() - s.length());
            }
        }
        return name;
    }

    /** The sum of the series {@code name} over samples carrying every label given. */
    double sum(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.has(labels)).mapToDouble(Sample::value).sum();
    }

    /** The sum of the series {@code name} over all its samples. */
    double sum(String name) {
        return sum(name, Map.of());
    }

    /** Whether any sample of the series {@code name} carries the labels. */
    boolean has(String name, Map<String, String> labels) {
        return samples.stream().anyMatch(s -> s.name().equals(name) && s.has(labels));
    }

    /** The values a label takes on the series {@code name}. */
    List<String> labelValues(String name, String label) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().containsKey(label))
                .map(s -> s.labels().get(label)).distinct().sorted().toList();
    }

    /** The HELP text of a family (named with or without its suffix), or null. */
    String help(String name) {
        return help.get(family(name));
    }

    /** The TYPE of a family (named with or without its suffix), or null. */
    String type(String name) {
        return types.get(family(name));
    }
}
