package io.tracemark.localstack.load;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a sealed block's time goes in attest, from its {@code tracemark_attest_anchoring_step_seconds}
 * quantiles (a recent window, so read right after the run): waiting for the replicas' copies, reading its leaf
 * batches back, waiting for the time-stamp token, building receipts, committing the events.
 *
 * @param quantiles per step, p50 and p99 in milliseconds; empty when attest does not export them
 * @param error     why they could not be read, or {@code null}
 */
record AnchoringSteps(Map<String, double[]> quantiles, String error) {
    static final String SERIES = "tracemark_attest_anchoring_step_seconds";
    /** Steps in the order a block goes through them. */
    static final List<String> ORDER = List.of("gather", "leaves", "timestamp", "receipts", "commit");

    /** Reads them from attest at {@code baseUrl}. */
    static AnchoringSteps read(String baseUrl) {
        try {
            HttpResponse<String> r = StoreMetrics.metrics(baseUrl);
            return r.statusCode() == 200 ? parse(r.body()) : new AnchoringSteps(Map.of(), "/q/metrics answered HTTP " + r.statusCode());
        } catch (IOException e) {
            return new AnchoringSteps(Map.of(), "/q/metrics unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new AnchoringSteps(Map.of(), "interrupted");
        }
    }

    /** Parses the step quantiles out of a Prometheus text exposition. */
    static AnchoringSteps parse(String text) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith(SERIES + "{")) {
                continue;
            }
            StoreMetrics.Sample s = StoreMetrics.Sample.parse(line.strip());
            if (s == null || s.labels().get("step") == null || s.labels().get("quantile") == null) {
                continue;
            }
            int at = switch (s.labels().get("quantile")) {
                case "0.5" -> 0;
                case "0.99" -> 1;
                default -> -1;
            };
            if (at >= 0) {
                out.computeIfAbsent(s.labels().get("step"), k -> new double[2])[at] = s.value() * 1000;
            }
        }
        return new AnchoringSteps(out, out.isEmpty() ? "no " + SERIES + " series" : null);
    }

    /** {@code gather 120 / 900, leaves 3 / 8, …} in milliseconds, in block order. */
    String render() {
        if (error != null) {
            return "n/a (" + error + ")";
        }
        StringBuilder b = new StringBuilder();
        for (String step : ORDER) {
            double[] q = quantiles.get(step);
            if (q != null) {
                b.append(b.isEmpty() ? "" : ", ").append(step).append(String.format(" %.0f / %.0f", q[0], q[1]));
            }
        }
        return b.toString();
    }
}
