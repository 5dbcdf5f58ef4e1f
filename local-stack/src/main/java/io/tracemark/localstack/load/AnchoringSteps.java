package io.tracemark.localstack.load;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the time goes in attest, read from its quantiles (a recent window, so read right after the run): per
 * sealed block ({@code tracemark_attest_anchoring_step_seconds}: waiting for the replicas' copies, reading its leaf
 * batches back, waiting for the time-stamp token, the witnesses, building receipts, committing the events) and per
 * record ({@code tracemark_attest_record_hop_seconds}: each hop from acceptance to {@code record.anchored}).
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

    /** Reads them from attest at {@code baseUrl}. */
    static AnchoringSteps read(String baseUrl) {
        try {
            HttpResponse<String> r = StoreMetrics.metrics(baseUrl);
            return r.statusCode() == 200 ? parse(r.body())
                    : new AnchoringSteps(Map.of(), Map.of(), "/q/metrics answered HTTP " + r.statusCode());
        } catch (IOException e) {
            return new AnchoringSteps(Map.of(), Map.of(), "/q/metrics unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new AnchoringSteps(Map.of(), Map.of(), "interrupted");
        }
    }

    /** Parses the step and hop quantiles out of a Prometheus text exposition. */
    static AnchoringSteps parse(String text) {
        Map<String, double[]> steps = quantiles(text, SERIES, "step");
        return new AnchoringSteps(steps, quantiles(text, HOP_SERIES, "hop"), steps.isEmpty() ? "no " + SERIES + " series" : null);
    }

    private static Map<String, double[]> quantiles(String text, String series, String label) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith(series + "{")) {
                continue;
            }
            StoreMetrics.Sample s = StoreMetrics.Sample.parse(line.strip());
            if (s == null || s.labels().get(label) == null || s.labels().get("quantile") == null) {
                continue;
            }
            int at = switch (s.labels().get("quantile")) {
                case "0.5" -> 0;
                case "0.99" -> 1;
                default -> -1;
            };
            if (at >= 0) {
                out.computeIfAbsent(s.labels().get(label), k -> new double[2])[at] = s.value() * 1000;
            }
        }
        return out;
    }

    /** {@code gather 120 / 900, leaves 3 / 8, …} in milliseconds, in block order. */
    String render() {
        return error != null ? "n/a (" + error + ")" : render(quantiles, ORDER);
    }

    /** {@code request 20 / 80, ledger 30 / 120, …} in milliseconds, in record order; {@code n/a} without them. */
    String renderHops() {
        return hops.isEmpty() ? "n/a (no " + HOP_SERIES + " series)" : render(hops, HOP_ORDER);
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
