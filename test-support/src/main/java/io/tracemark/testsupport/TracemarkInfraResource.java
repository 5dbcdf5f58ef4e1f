package io.tracemark.testsupport;

import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tracemark.infra.InfraProcess;

/**
 * Points a {@code @QuarkusTest} at the JVM-wide {@link SharedInfra}, with a database of its own.
 *
 * <p>Use with {@code @QuarkusTestResource(TracemarkInfraResource.class)} or {@code @WithTestResource}.
 */
public class TracemarkInfraResource implements QuarkusTestResourceLifecycleManager {

    /** Prefix of the per-application database name handed out in {@code tracemark.mongodb.database}. */
    public static final String DATABASE_PREFIX = "tm_test_";

    /** Starts (or reuses) the shared infra and returns the config that wires a service to it. */
    @Override
    public Map<String, String> start() {
        InfraProcess infra = SharedInfra.get();
        String database = DATABASE_PREFIX + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return Map.of(
                "kafka.bootstrap.servers", infra.kafkaBootstrap(),
                "tracemark.kafka.bootstrap-servers", infra.kafkaBootstrap(),
                "quarkus.mongodb.connection-string", infra.mongoConnectionString(),
                "tracemark.mongodb.connection-string", infra.mongoConnectionString(),
                "tracemark.mongodb.database", database,
                // There is no Docker here; with the addresses set they would not start anyway, but be explicit.
                "quarkus.kafka.devservices.enabled", "false",
                "quarkus.mongodb.devservices.enabled", "false");
    }

    /** Leaves the shared infra running; other test classes in this JVM still need it. */
    @Override
    public void stop() {
        // SharedInfra stops the child JVM from a shutdown hook when the test JVM exits.
    }
}
