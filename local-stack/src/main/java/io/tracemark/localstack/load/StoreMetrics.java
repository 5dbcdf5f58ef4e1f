package io.tracemark.localstack.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How much the services wrote to MongoDB for a run, from their own Prometheus counters
 * ({@value #DOCUMENTS} and {@value #COMMANDS}, labelled by collection and command) scraped from
 * {@code /q/metrics} before and after. A service that does not export them, cannot be reached, or
 * restarted meanwhile (a counter went down) is reported as n/a, never guessed.
 */
final class StoreMetrics {
    /** Documents written, by {@code collection} and {@code command}. */
    static final String DOCUMENTS = "tracemark_store_documents_written_total";
    /** Store commands sent, by {@code collection} and {@code command}. */
    static final String COMMANDS = "tracemark_store_commands_total";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private StoreMetrics() {
    }

    /**
     * One service's counters at one moment, by series ({@code collection|command}); {@code error} says why
     * there are none (unreachable, or the counter is not exported).
     */
    record Scrape(Map<String, Double> documents, Map<String, Double> commands, boolean exported, String error) {
    }

    /**
     * One service's writes during the run, or why they are n/a.
     *
     * @param documentsByCollection Δ documents written per collection
     * @param commands              Δ store commands, all collections, or -1 when that counter is not exported
     */
    record ServiceDelta(String service, Map<String, Double> documentsByCollection, double documents, double commands,
                        String unavailable, Map<String, Double> commandsBySeries) {
        ServiceDelta(String service, Map<String, Double> documentsByCollection, double documents, double commands,
                     String unavailable) {
            this(service, documentsByCollection, documents, commands, unavailable, Map.of());
        }
    }

    /** Every service's writes during a run of {@code records} records. */
    record Delta(long records, Map<String, ServiceDelta> services) {
        /** Services whose writes are known. */
        boolean complete() {
            return services.values().stream().allMatch(s -> s.unavailable() == null);
        }

        /** Documents written per record over the services whose counters are known, or -1 if none is. */
        double documentsPerRecord() {
            return perRecord(services.values().stream().filter(s -> s.unavailable() == null)
                    .mapToDouble(ServiceDelta::documents).sum());
        }

        /** Store commands per record over the services whose counters are known, or -1 if none exports it. */
        double commandsPerRecord() {
            if (services.values().stream().noneMatch(s -> s.unavailable() == null && s.commands() >= 0)) {
                return -1;
            }
            return perRecord(services.values().stream().filter(s -> s.unavailable() == null)
                    .mapToDouble(s -> Math.max(0, s.commands())).sum());
        }

        private double perRecord(double total) {
            boolean any = services.values().stream().anyMatch(s -> s.unavailable() == null);
            return !any || records == 0 ? -1 : total / records;
        }
    }

    /** Scrapes every service by name → base URL. */
    static Map<String, Scrape> scrape(Map<String, String> baseUrls) {
        Map<String, Scrape> out = new LinkedHashMap<>();
        baseUrls.forEach((name, url) -> out.put(name, scrape(url)));
        return out;
    }

    /** A service's {@code /q/metrics} in Prometheus text format. */
    static HttpResponse<String> metrics(String baseUrl) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics"))
                        .header("Accept", "text/plain; version=0.0.4").timeout(Duration.ofSeconds(15)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Scrape scrape(String baseUrl) {
        try {
            HttpResponse<String> r = metrics(baseUrl);
            if (r.statusCode() != 200) {
                return new Scrape(Map.of(), Map.of(), false, "/q/metrics answered HTTP " + r.statusCode());
            }
            return parse(r.body());
        } catch (IOException e) {
            return new Scrape(Map.of(), Map.of(), false, "/q/metrics unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Scrape(Map.of(), Map.of(), false, "interrupted");
        }
    }

    /** Parses Prometheus text exposition format, keeping the two store counters. */
    static Scrape parse(String text) {
        Map<String, Double> docs = new HashMap<>();
        Map<String, Double> cmds = new HashMap<>();
        boolean exported = false;
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.startsWith("# TYPE " + DOCUMENTS + " ") || line.startsWith("# TYPE tracemark_store_documents_written ")) {
                exported = true;
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Sample s = Sample.parse(line);
            if (s == null) {
                continue;
            }
            Map<String, Double> into = s.name().equals(DOCUMENTS) ? docs : s.name().equals(COMMANDS) ? cmds : null;
            if (into != null) {
                exported |= into == docs;
                into.merge(s.labels().getOrDefault("collection", "?") + "|" + s.labels().getOrDefault("command", "?"),
                        s.value(), Double::sum);
            }
        }
        // http-edge registers a collection's counters at zero on its first command, so no series at all means the
        // service does not count (yet) or has not touched a collection since it started: unknown either way.
        return new Scrape(docs, cmds, exported, exported ? null : "no " + DOCUMENTS + " series");
    }

    /** The writes between two scrapes of the same services, for a run of {@code records} records. */
    static Delta delta(Map<String, Scrape> before, Map<String, Scrape> after, long records) {
        Map<String, ServiceDelta> out = new LinkedHashMap<>();
        after.forEach((service, a) -> {
            Scrape b = before.getOrDefault(service, new Scrape(Map.of(), Map.of(), false, "not scraped before the run"));
            String why = a.error() != null ? a.error()
                    : b.error() != null && b.error().contains("unreachable") ? "before the run: " + b.error()
                    : wentDown(b.documents(), a.documents()) || wentDown(b.commands(), a.commands())
                    ? "a counter went down: the service restarted during the run" : null;
            Map<String, Double> byCollection = new TreeMap<>();
            a.documents().forEach((series, v) -> byCollection.merge(series.substring(0, series.indexOf('|')),
                    v - b.documents().getOrDefault(series, 0.0), Double::sum));
            byCollection.values().removeIf(v -> v == 0);
            double docs = byCollection.values().stream().mapToDouble(Double::doubleValue).sum();
            double cmds = a.commands().isEmpty() ? -1 : a.commands().entrySet().stream()
                    .mapToDouble(e -> e.getValue() - b.commands().getOrDefault(e.getKey(), 0.0)).sum();
            Map<String, Double> bySeries = new TreeMap<>();
            a.commands().forEach((series, v) -> bySeries.put(series.replace('|', ' '),
                    v - b.commands().getOrDefault(series, 0.0)));
            bySeries.values().removeIf(v -> v == 0);
            out.put(service, new ServiceDelta(service, why == null ? byCollection : Map.of(), docs, cmds, why,
                    why == null ? bySeries : Map.of()));
        });
        return new Delta(records, out);
    }

    /** Whether any series is lower after than before (a series that appears only after counts from zero). */
    private static boolean wentDown(Map<String, Double> before, Map<String, Double> after) {
        return before.entrySet().stream().anyMatch(e -> after.getOrDefault(e.getKey(), 0.0) < e.getValue());
    }

    /** One sample line: {@code name{label="value",…} value [timestamp]}. */
    record Sample(String name, Map<String, String> labels, double value) {
        static Sample parse(String line) {
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            Map<String, String> labels = new HashMap<>();
            int rest;
            String name;
            if (brace >= 0 && (space < 0 || brace < space)) {
                name = line.substring(0, brace);
                int i = brace + 1;
                while (i < line.length() && line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                        return null;
                    }
                    String key = line.substring(i, eq).strip();
                    StringBuilder v = new StringBuilder();
                    int j = eq + 2;
                    for (; j < line.length() && line.charAt(j) != '"'; j++) {
                        char c = line.charAt(j);
                        if (c == '\\' && j + 1 < line.length()) {
                            char n = line.charAt(++j);
                            v.append(n == 'n' ? '\n' : n);
                        } else {
                            v.append(c);
                        }
                    }
                    labels.put(key, v.toString());
                    i = j + 1;
                    while (i < line.length() && (line.charAt(i) == ',' || line.charAt(i) == ' ')) {
                        i++;
                    }
                }
                rest = i + 1;
            } else if (space > 0) {
                name = line.substring(0, space);
                rest = space;
            } else {
                return null;
            }
            if (rest >= line.length()) {
                return null;
            }
            String[] tail = line.substring(rest).strip().split("\\s+");
            try {
                return new Sample(name, labels, number(tail[0]));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private static double number(String s) {
            return switch (s) {
                case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(s);
            };
        }
    }
}
