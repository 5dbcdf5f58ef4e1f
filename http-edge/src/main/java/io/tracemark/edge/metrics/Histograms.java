package io.tracemark.edge.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Every Tracemark timer and distribution, and the HTTP server's request timer, publish a Prometheus
 * histogram ({@code _bucket} series), so quantiles are computed by the server over any window and
 * across replicas; client-side percentiles alone decay to 0.0 when idle and cannot be aggregated.
 */
@Singleton
public class Histograms {
    /** Timers may be long: a record's anchoring waits for its block and every replica's signature. */
    static final Duration LONGEST_TIMER = Duration.ofMinutes(10);

    /** The filter Quarkus applies to every registry. */
    @Produces
    @Singleton
    public MeterFilter percentileHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!histogrammed(id)) {
                    return config;
                }
                DistributionStatisticConfig.Builder b = DistributionStatisticConfig.builder().percentilesHistogram(true);
                if (id.getType() == Meter.Type.TIMER && id.getName().startsWith("tracemark.")) {
                    b.maximumExpectedValue((double) LONGEST_TIMER.toNanos());
                }
                return b.build().merge(config);
            }
        };
    }

    /** Whether a meter gets a histogram: ours, and the HTTP server's requests. */
    static boolean histogrammed(Meter.Id id) {
        return (id.getType() == Meter.Type.TIMER || id.getType() == Meter.Type.DISTRIBUTION_SUMMARY)
                && (id.getName().startsWith("tracemark.") || id.getName().equals("http.server.requests"));
    }
}
