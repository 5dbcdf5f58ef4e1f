package io.tracemark.ingest.health;

import io.tracemark.edge.health.MongoProbe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Readiness of the intake: DOWN while the record store does not answer a ping within its timeout, or
 * while the Kafka intake has been retrying one batch for longer than
 * {@code tracemark.ingest.health.max-intake-stall}. Intake lag is reported, not judged: lag under load
 * is normal, and taking a replica out of rotation for it would only move the load.
 *
 * <p>Readiness only: a dependency outage must take the replica out of rotation, never get it restarted
 * (nothing is lost by waiting; the backlog drains once the store is back).
 */
@Readiness
@ApplicationScoped
public class IntakeReadiness implements HealthCheck {
    @Inject
    MongoProbe mongo;
    @Inject
    IntakeLag lag;
    @Inject
    IntakeProgress progress;
    @ConfigProperty(name = "tracemark.ingest.health.max-intake-stall", defaultValue = "60s")
    Duration maxStall;

    @Override
    public HealthCheckResponse call() {
        MongoProbe.Result ping = mongo.ping();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("tracemark-intake")
                .withData("mongo", ping.up() ? "UP" : "DOWN")
                .withData("mongoMillis", ping.millis())
                .withData("kafkaLag", lag.lag());
        if (ping.error() != null) {
            b.withData("mongoError", ping.error());
        }
        progress.lastSuccess().ifPresent(t -> b.withData("intakeLastSuccess", t.toString()));
        Optional<Instant> failing = progress.failingSince();
        failing.ifPresent(t -> b.withData("intakeFailingSince", t.toString()));
        boolean stalled = failing.isPresent() && failing.get().plus(maxStall).isBefore(Instant.now());
        return b.status(ping.up() && !stalled).build();
    }
}
