package io.tracemark.attest.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sampler every service is built with follows its trace exporter: an image built without one (the default)
 * records no span unless a caller's {@code traceparent} asks for it, and an image built with one records every
 * span. Read from each service's own {@code application.properties} as Quarkus resolves it at build time, so a
 * service whose lines drift from the others fails here.
 */
class TracingSamplerConfigTest {

    private static SmallRyeConfig buildConfig(String module, String profile, Map<String, String> buildArgs)
            throws IOException {
        Path properties = Path.of("..", module, "src/main/resources/application.properties");
        return new SmallRyeConfigBuilder().withProfile(profile).addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties.toUri().toURL(), 250))
                .withSources(new PropertiesConfigSource(buildArgs, "build arguments", 400))
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest-service", "attest-service", "verify-service", "chain-node"})
    void withNothingExportedSpansAreRecordedOnlyWhenACallerAsks(String module) throws IOException {
        SmallRyeConfig config = buildConfig(module, "prod", Map.of());
        assertEquals("none", config.getRawValue("quarkus.otel.traces.exporter"));
        assertEquals("parentbased_always_off", config.getRawValue("quarkus.otel.traces.sampler"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest-service", "attest-service", "verify-service", "chain-node"})
    void anImageBuiltWithTheExporterRecordsEverySpan(String module) throws IOException {
        SmallRyeConfig config = buildConfig(module, "prod", Map.of("tracemark.otel.exporter", "cdi"));
        assertEquals("cdi", config.getRawValue("quarkus.otel.traces.exporter"));
        assertEquals("parentbased_always_on", config.getRawValue("quarkus.otel.traces.sampler"));
    }

    @Test
    void attestsTestsReadSpansSoTheyRecordEverySpan() throws IOException {
        SmallRyeConfig config = buildConfig("attest-service", "test", Map.of());
        assertEquals("parentbased_always_on", config.getRawValue("quarkus.otel.traces.sampler"));
    }
}
