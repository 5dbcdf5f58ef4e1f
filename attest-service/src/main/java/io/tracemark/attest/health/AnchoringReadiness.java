package io.tracemark.attest.health;

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
 * Readiness of anchoring: DOWN while MongoDB does not answer a ping within its timeout, or while the
 * chain is stalled — a leaf batch has waited on the leaves topic for a sealed block longer than
 * {@code tracemark.attest.health.max-anchoring-lag}. Readiness only: neither outage is cured by
 * restarting attest, and nothing is lost while it waits (anchor requests stay pending and are sealed
 * once the chain moves again).
 */
@Readiness
@ApplicationScoped
public class AnchoringReadiness implements HealthCheck {
    @Inject
    MongoProbe mongo;
    @Inject
    ChainProgress chain;
    @ConfigProperty(name = "tracemark.attest.health.max-anchoring-lag", defaultValue = "60s")
    Duration maxLag;

    @Override
    public HealthCheckResponse call() {
        MongoProbe.Result ping = mongo.ping();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("tracemark-anchoring")
                .withData("mongo", ping.up() ? "UP" : "DOWN")
                .withData("mongoMillis", ping.millis());
        if (ping.error() != null) {
            b.withData("mongoError", ping.error());
        }
        boolean stalled = false;
        Optional<ChainProgress.Snapshot> snap = chain.last();
        if (snap.isPresent()) {
            ChainProgress.Snapshot s = snap.get();
            b.withData("chainProbedAt", s.probedAt().toString())
                    .withData("leavesEndOffset", s.leavesEnd())
                    .withData("sealedThroughOffset", s.sealedThrough());
            if (s.error() != null) {
                b.withData("chainProbeError", s.error());
            }
            if (s.oldestUnsealed().isPresent()) {
                Instant oldest = s.oldestUnsealed().get();
                long waitingMillis = Math.max(0, Duration.between(oldest, Instant.now()).toMillis());
                b.withData("oldestUnsealedLeavesAt", oldest.toString()).withData("anchoringLagMillis", waitingMillis);
                stalled = waitingMillis > maxLag.toMillis();
            } else {
                b.withData("anchoringLagMillis", 0L);
            }
        }
        b.withData("chain", stalled ? "STALLED" : "SEALING");
        return b.status(ping.up() && !stalled).build();
    }
}
