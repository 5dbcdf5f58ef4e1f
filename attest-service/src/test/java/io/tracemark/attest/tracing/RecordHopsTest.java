package io.tracemark.attest.tracing;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordHopsTest {
    @Test
    void exportsEachRecordsHopInSecondsWithHelpAndBucketsButNoClientSideQuantiles() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RecordHops hops = new RecordHops(registry);
        hops.record(RecordHops.Hop.SEALING, 1_000, 1_300);
        hops.record(RecordHops.Hop.SEALING, 1_000, 1_100);
        hops.record(RecordHops.Hop.GATHER, 2_000, 1_990);
        String text = registry.scrape();
        assertTrue(text.contains("# HELP tracemark_attest_record_hop_seconds time each record spends in each hop from acceptance"
                + " to record.anchored: request (ingest: accepted -> its anchor request on Kafka);"), text);
        assertTrue(text.contains("tracemark_attest_record_hop_seconds_count{hop=\"sealing\",} 2.0"), text);
        assertTrue(text.contains("tracemark_attest_record_hop_seconds_sum{hop=\"sealing\",} 0.4"), text);
        assertTrue(text.contains("tracemark_attest_record_hop_seconds_bucket{hop=\"sealing\",le=\"0.25\",} 1.0"), text);
        assertTrue(text.contains("tracemark_attest_record_hop_seconds_bucket{hop=\"sealing\",le=\"0.5\",} 2.0"), text);
        // Quantiles come from the buckets on the server: client-side ones decay to 0.0 and cannot be aggregated.
        assertFalse(text.contains("quantile="), text);
        assertTrue(text.contains("tracemark_attest_record_hop_seconds_sum{hop=\"gather\",} 0.0"),
                "a clock running behind counts as no time, not negative time: " + text);
    }
}
