package io.tracemark.localstack.load;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreMetricsTest {
    private static String exposition(double records, double anchorsInsert, double commands) {
        return """
                # HELP tracemark_store_documents_written_total Documents written to MongoDB
                # TYPE tracemark_store_documents_written_total counter
                tracemark_store_documents_written_total{collection="records",command="insert",} %s
                tracemark_store_documents_written_total{collection="digests",command="update"} %s
                # TYPE tracemark_store_commands_total counter
                tracemark_store_commands_total{collection="records",command="insert",} %s
                http_server_requests_seconds_count{method="GET",uri="/q/metrics",note="a \\"quoted\\", value"} 3.0
                jvm_threads_live_threads 42.0
                """.formatted(records, anchorsInsert, commands);
    }

    @Test
    void parsesPrometheusTextWithLabelsEscapesAndExponents() {
        StoreMetrics.Scrape s = StoreMetrics.parse(exposition(1.5E4, 20000.0, 15.0));
        assertTrue(s.exported());
        assertEquals(15_000.0, s.documents().get("records|insert"));
        assertEquals(20_000.0, s.documents().get("digests|update"));
        assertEquals(15.0, s.commands().get("records|insert"));
        StoreMetrics.Sample q = StoreMetrics.Sample.parse("m{a=\"x\\\"y,z\",b=\"\"} +Inf 1700000000000");
        assertEquals("x\"y,z", q.labels().get("a"));
        assertEquals(Double.POSITIVE_INFINITY, q.value());
    }

    @Test
    void documentsPerRecordIsTheDeltaOverTheServicesThatExportTheCounter() {
        Map<String, StoreMetrics.Scrape> before = new LinkedHashMap<>();
        before.put("ingest-service", StoreMetrics.parse(exposition(100, 100, 1)));
        // Counters appear on first use: absent before the run counts from zero.
        before.put("attest-service", StoreMetrics.parse("jvm_threads_live_threads 1.0\n"));
        before.put("verify-service", StoreMetrics.parse("jvm_threads_live_threads 1.0\n"));
        Map<String, StoreMetrics.Scrape> after = new LinkedHashMap<>();
        after.put("ingest-service", StoreMetrics.parse(exposition(1100, 1100, 11)));
        after.put("attest-service", StoreMetrics.parse(exposition(0, 500, 5)));
        after.put("verify-service", StoreMetrics.parse("jvm_threads_live_threads 1.0\n"));
        StoreMetrics.Delta d = StoreMetrics.delta(before, after, 1000);
        assertFalse(d.complete());
        assertEquals("no tracemark_store_documents_written_total series", d.services().get("verify-service").unavailable());
        assertEquals((2000 + 500) / 1000.0, d.documentsPerRecord(), 1e-9);
        assertEquals(Map.of("records", 1000.0, "digests", 1000.0), d.services().get("ingest-service").documentsByCollection());
        assertEquals(Map.of("digests", 500.0), d.services().get("attest-service").documentsByCollection());
        assertEquals(15 / 1000.0, d.commandsPerRecord(), 1e-9);
        assertNull(d.services().get("attest-service").unavailable());
    }

    @Test
    void aCounterThatWentDownOrAServiceThatExportsNothingIsNotApplicable() {
        Map<String, StoreMetrics.Scrape> before = Map.of("ingest-service", StoreMetrics.parse(exposition(500, 0, 5)));
        Map<String, StoreMetrics.Scrape> after = Map.of("ingest-service", StoreMetrics.parse(exposition(20, 0, 1)));
        StoreMetrics.Delta d = StoreMetrics.delta(before, after, 10);
        assertTrue(d.services().get("ingest-service").unavailable().contains("restarted"));
        assertEquals(-1, d.documentsPerRecord());
        StoreMetrics.Delta none = StoreMetrics.delta(Map.of(), Map.of("verify-service",
                new StoreMetrics.Scrape(Map.of(), Map.of(), false, "/q/metrics unreachable: refused")), 10);
        assertEquals(-1, none.documentsPerRecord());
    }
}
