package io.tracemark.localstack.load;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Where the time goes in attest during the measured part of a run: per sealed block
 * ({@code tracemark_attest_anchoring_step_seconds}: waiting for the replicas' copies, reading its leaf batches back,
 * waiting for the time-stamp token, the witnesses, building receipts, committing the events) and per record
 * ({@code tracemark_attest_record_hop_seconds}: each hop from acceptance to {@code record.anchored}). p50 and p99 come
 * from the histograms' {@code _bucket} series scraped before and after the part measured, so a warm-up or an earlier
 * run does not count, as Prometheus' {@code histogram_quantile} over that window would give them.
 *
 * @param quantiles per step, p50 and p99 in milliseconds; empty when attest does not export them
 * @param hops      per hop, p50 and p99 in milliseconds; empty when attest does not export them
 * @param error     why they could not be read, or {@code null}
 */
record AnchoringSteps(Map<String, double[]> quantiles, Map<String, double[]> hops, String error) {
    static final String SERIES = "tracemark_attest_anchoring_step_seconds";
    static final String HOP_SERIES = "tracemark_attest_record_hop_seconds";
    /** Steps in the order a block goes through them. */
    static final List<String> ORDER = List.of("gather", "leaves", "timestamp", "witnesses", "receipts", "commit");
    /** Hops in the order a record goes through them. */
    static final List<String> HOP_ORDER = List.of("request", "ledger", "sealing", "signing", "pickup", "gather", "receipts");

    /**
     * The step and hop histograms' cumulative bucket counts at one moment (per label value, by upper bound in
     * seconds), or why they could not be read.
     */
    record Scrape(Map<String, NavigableMap<Double, Double>> steps, Map<String, NavigableMap<Double, Double>> hops,
                  String error) {
    }

    /** Scrapes attest at {@code baseUrl}. */
    static Scrape scrape(String baseUrl) {
        try {
            HttpResponse<String> r = StoreMetrics.metrics(baseUrl);
            return r.statusCode() == 200 ? parse(r.body())
                    : new Scrape(Map.of(), Map.of(), "/q/metrics answered HTTP " + r.statusCode());
        } catch (IOException e) {
            return new Scrape(Map.of(), Map.of(), "/q/metrics unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Scrape(Map.of(), Map.of(), "interrupted");
        }
    }

    /** The step and hop buckets of a Prometheus text exposition. */
    static Scrape parse(String text) {
        return new Scrape(buckets(text, SERIES, "step"), buckets(text, HOP_SERIES, "hop"), null);
    }

    private static Map<String, NavigableMap<Double, Double>> buckets(String text, String series, String label) {
        Map<String, NavigableMap<Double, Double>> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith(series + "_bucket{")) {
                continue;
            }
            StoreMetrics.Sample s = StoreMetrics.Sample.parse(line.strip());
            String le = s == null ? null : s.labels().get("le");
            if (le == null || s.labels().get(label) == null) {
                continue;
            }
            double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            out.computeIfAbsent(s.labels().get(label), k -> new TreeMap<>()).put(bound, s.value());
        }
        return out;
    }

    /** p50 and p99 of what was observed between two scrapes. */
    static AnchoringSteps between(Scrape before, Scrape after) {
        if (after.error() != null || before.error() != null) {
            String why = after.error() != null ? after.error() : "before the run: " + before.error();
            return new AnchoringSteps(Map.of(), Map.of(), why);
        }
        Map<String, double[]> steps = quantiles(before.steps(), after.steps());
        Map<String, double[]> hops = quantiles(before.hops(), after.hops());
        String error = after.steps().isEmpty() ? "no " + SERIES + "_bucket series"
                : steps.isEmpty() ? "no block anchored, or attest restarted, during the run" : null;
        return new AnchoringSteps(steps, hops, error);
    }

    private static Map<String, double[]> quantiles(Map<String, NavigableMap<Double, Double>> before,
                                                   Map<String, NavigableMap<Double, Double>> after) {
        Map<String, double[]> out = new LinkedHashMap<>();
        after.forEach((name, a) -> {
            NavigableMap<Double, Double> b = before.getOrDefault(name, new TreeMap<>());
            NavigableMap<Double, Double> delta = new TreeMap<>();
            a.forEach((le, count) -> delta.put(le, count - b.getOrDefault(le, 0.0)));
            double p50 = quantile(0.5, delta);
            double p99 = quantile(0.99, delta);
            if (!Double.isNaN(p50) && !Double.isNaN(p99)) {
                out.put(name, new double[]{p50 * 1000, p99 * 1000});
            }
        });
        return out;
    }

    /**
     * The {@code q} quantile of cumulative bucket counts (upper bound in seconds → observations at or below it),
     * interpolated linearly within its bucket as {@code histogram_quantile} does; NaN without observations or when a
     * count went down (the service restarted in between). A quantile in the {@code +Inf} bucket is the highest finite bound.
     */
    static double quantile(double q, NavigableMap<Double, Double> cumulative) {
        Double total = cumulative.get(Double.POSITIVE_INFINITY);
        if (total == null || total <= 0 || cumulative.values().stream().anyMatch(c -> c < 0)) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= rank) {
                if (e.getKey() == Double.POSITIVE_INFINITY) {
                    return lowerBound;
                }
                double inBucket = e.getValue() - lowerCount;
                return inBucket <= 0 ? e.getKey() : lowerBound + (e.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = e.getKey();
            lowerCount = e.getValue();
        }
        return lowerBound;
    }

    /** {@code gather 120 / 900, leaves 3 / 8, …} in milliseconds, in block order. */
    String render() {
        return error != null ? "n/a (" + error + ")" : render(quantiles, ORDER);
    }

    /** {@code request 20 / 80, ledger 30 / 120, …} in milliseconds, in record order; {@code n/a} without them. */
    String renderHops() {
        return hops.isEmpty() ? "n/a (no " + HOP_SERIES + " observations in the run)" : render(hops, HOP_ORDER);
    }

    private static String render(Map<String, double[]> quantiles, List<String> order) {
        StringBuilder b = new StringBuilder();
        for (String name : order) {
            double[] q = quantiles.get(name);
            if (q != null) {
                b.append(b.isEmpty() ? "" : ", ").append(name).append(String.format(" %.0f / %.0f", q[0], q[1]));
            }
        }
        return b.toString();
    }
}
