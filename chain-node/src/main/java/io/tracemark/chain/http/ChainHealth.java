package io.tracemark.chain.http;

import io.tracemark.chain.ChainNode;
import io.tracemark.chain.kafka.ApplyStatus;
import io.tracemark.chain.witnessing.WitnessStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Liveness: the apply loop is alive. Readiness: Kafka answers and the node is caught up or applying;
 * witness outcomes as detail.
 */
public final class ChainHealth {
    private static final long REACHABLE_WITHIN_MILLIS = 10_000;
    private static final long CAUGHT_UP_LAG = 1000;

    private ChainHealth() {
    }

    /** Fails only if the apply loop died. */
    @Liveness
    @ApplicationScoped
    public static class Live implements HealthCheck {
        @Inject
        ChainNode node;

        @Override
        public HealthCheckResponse call() {
            ApplyStatus s = node.replica().status();
            return HealthCheckResponse.named("chain-apply-loop").status(s.failure() == null)
                    .withData("failure", String.valueOf(s.failure())).build();
        }
    }

    /** Ready when Kafka answered recently and the lag is small or records are flowing. */
    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        @Inject
        ChainNode node;

        @Override
        public HealthCheckResponse call() {
            ApplyStatus s = node.replica().status();
            long now = System.currentTimeMillis();
            boolean reachable = now - s.kafkaReachableAt() < REACHABLE_WITHIN_MILLIS;
            boolean current = (s.lag() >= 0 && s.lag() <= CAUGHT_UP_LAG) || now - s.lastAppliedAt() < 2_000;
            return HealthCheckResponse.named("chain-log").status(s.running() && reachable && current)
                    .withData("kafkaReachable", reachable).withData("lagRecords", s.lag())
                    .withData("treeSize", node.replica().committed() == null ? 0 : node.replica().committed().treeSize()).build();
        }
    }

    /**
     * Each configured witness's last answer and the split views witnesses refused. Always up: a
     * witness that is down or refuses never stops this replica sealing or serving, so it must not
     * take it out of rotation; operators alert on {@code splitViews}.
     */
    @Readiness
    @ApplicationScoped
    public static class Witnesses implements HealthCheck {
        @Inject
        ChainNode node;

        @Override
        public HealthCheckResponse call() {
            var builder = HealthCheckResponse.named("chain-witnesses").up()
                    .withData("splitViews", node.replica().witnessing().splitViews());
            for (WitnessStatus w : node.replica().witnessing().statuses()) {
                builder.withData(w.name(), w.toString());
            }
            return builder.build();
        }
    }

    /**
     * Each external time-stamping authority's state ({@code ok: …} or {@code degraded: …}). Always up: an
     * authority that is down or slow never delays sealing or serving, so it must not take the replica out of
     * rotation; receipts name the authorities whose token they lack.
     */
    @Readiness
    @ApplicationScoped
    public static class TimestampAuthorities implements HealthCheck {
        @Inject
        ChainNode node;

        @Override
        public HealthCheckResponse call() {
            var statuses = node.replica().authorities().statuses();
            var builder = HealthCheckResponse.named("chain-timestamp-authorities").up()
                    .withData("degraded", statuses.stream().filter(s -> s.toString().startsWith("degraded")).count());
            for (var s : statuses) {
                builder.withData(s.name(), s.toString());
            }
            return builder.build();
        }
    }
}
