package io.tracemark.attest.tracing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** Spans exported to the test's in-memory exporter ({@link InMemorySpans}) within 50 ms of ending. */
public class TracingProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        // cdi: every SpanExporter bean exports; the OTLP one is switched off, there is no collector in tests.
        return Map.of("tracemark.otel.exporter", "cdi", "quarkus.otel.exporter.otlp.enabled", "false",
                "quarkus.otel.bsp.schedule.delay", "50ms");
    }
}
