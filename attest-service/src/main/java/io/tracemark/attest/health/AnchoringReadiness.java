package io.tracemark.attest.health;

import io.tracemark.edge.health.MongoProbe;
import jakarta.enterprise.context.ApplicationScoped;
import io.tracemark.attest.events.AnchoringLoop;
import io.tracemark.attest.kafka.StageStatus;
import io.tracemark.attest.ledger.LeafLoop;
import io.tracemark.attest.receipts.ParkedReceipts;
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
 * once the chain moves again). The detail also counts receipts parked by reason ({@link ParkedReceipts}).
 */
@Readiness
@ApplicationScoped
public class AnchoringReadiness implements HealthCheck {
    @Inject
    MongoProbe mongo;
    @Inject
    ChainProgress chain;
    @Inject
    LeafLoop ledger;
    @Inject
    AnchoringLoop anchoring;
    @Inject
    ParkedReceipts parked;
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
        boolean ledgerUp = stage(b, "ledger", ledger.status());
        boolean anchoringUp = stage(b, "anchoring", anchoring.status());
        b.withData("lastAnchoredHeight", anchoring.lastAnchoredHeight());
        // Detail only: a receipt without content is still anchored, and restarting cures nothing.
        parked.byReason().forEach((reason, n) -> b.withData("receiptsParked." + reason, n));
        return b.status(ping.up() && !stalled && ledgerUp && anchoringUp).build();
    }

    /** Adds a stage's detail; it is down once stopped or failing for longer than the anchoring lag allows. */
    private boolean stage(HealthCheckResponseBuilder b, String name, StageStatus s) {
        b.withData(name + "DeadLettered", s.parked());
        if (s.lastSuccess() != null) {
            b.withData(name + "LastSuccess", s.lastSuccess().toString());
        }
        Instant since = s.failingSince();
        if (since != null) {
            b.withData(name + "FailingSince", since.toString()).withData(name + "LastError", String.valueOf(s.lastError()));
        }
        return !s.isStopped() && (since == null || Duration.between(since, Instant.now()).compareTo(maxLag) < 0);
    }
}
