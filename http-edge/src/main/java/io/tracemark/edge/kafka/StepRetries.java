package io.tracemark.edge.kafka;

import io.smallrye.faulttolerance.api.Guard;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

/**
 * Retry policies of {@link ConsumerLoop} steps on SmallRye Fault Tolerance's programmatic {@link Guard}, whose
 * retries Quarkus exports with the other fault-tolerance metrics ({@code ft_retry_retries_total{method=name}}).
 */
public final class StepRetries {
    private StepRetries() {
    }

    /**
     * Retries a failed step until it succeeds or the loop stops, waiting {@code first}, then twice as long each
     * time up to {@code max}; {@code failed} sees each failure before its retry (count it, show it in readiness).
     * For steps whose records must not be lost while a dependency is down: they wait, observably, instead.
     */
    public static Guard untilStopped(String name, Duration first, Duration max, Consumer<Throwable> failed) {
        return Guard.create().withDescription(name)
                .withRetry().maxRetries(-1).maxDuration(0, ChronoUnit.MILLIS).delay(first.toMillis(), ChronoUnit.MILLIS)
                // No jitter: the library's default (±200 ms) would swamp a 40 ms first delay and make the doubling
                // this promises random; one process's loop has no crowd of callers to spread out.
                .jitter(0, ChronoUnit.MILLIS)
                .whenException(t -> !ConsumerLoop.isShutdown(t))
                .beforeRetry(failed)
                // The library wants the cap above the first delay; a cap configured at or below it means "no growth".
                .withExponentialBackoff().factor(2).maxDelay(Math.max(max.toMillis(), first.toMillis() + 1), ChronoUnit.MILLIS).done()
                .done().build();
    }
}
