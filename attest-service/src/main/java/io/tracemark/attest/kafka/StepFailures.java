package io.tracemark.attest.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.Guard;
import io.tracemark.edge.kafka.StepRetries;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * What a pipeline step does when a dependency fails: count the failure
 * ({@code tracemark_attest_stage_failures_total{stage}}), log its stack trace once per run of failures, show
 * it in readiness ({@link StageStatus}), and have the step retried by SmallRye Fault Tolerance with capped
 * exponential backoff ({@link #retries}). The retries never give up, by design: a ledger or store outage must
 * not lose anchor requests, which wait in Kafka meanwhile; readiness turns DOWN once a stage fails for longer
 * than the anchoring lag allows, and FT exports the retries ({@code ft_retry_retries_total{method="attest-<stage>"}}).
 */
public final class StepFailures {
    private static final Logger LOG = Logger.getLogger(StepFailures.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final String stage;
    private final StageStatus status;
    private final Counter counter;

    /** Failures of step {@code stage}. */
    public StepFailures(String stage, StageStatus status, MeterRegistry meters) {
        this.stage = stage;
        this.status = status;
        this.counter = Counter.builder("tracemark.attest.stage.failures").baseUnit("failures").tag("stage", stage)
                .description("aborted pipeline steps (retried with backoff)").register(meters);
    }

    /** The step's retries: 100 ms after the first failure, doubling up to {@code max}, each failure recorded. */
    public Guard retries(Duration max) {
        return StepRetries.untilStopped("attest-" + stage, FIRST_BACKOFF, max, this::failed);
    }

    /** Records a failure before its retry: counted, shown by readiness, its stack trace logged once per run. */
    public void failed(Throwable ex) {
        counter.increment();
        if (status.failed(ex)) {
            LOG.errorf(ex, "%s step failed; retrying with backoff (logged once until it recovers)", stage);
        }
    }

    /** Aborts the producer's open transaction, if any: nothing of it becomes visible to read_committed readers. */
    public static void abortQuietly(KafkaProducer<byte[], byte[]> p) {
        if (p == null) {
            return;
        }
        try {
            p.abortTransaction();
        } catch (RuntimeException ignored) {
            // No transaction open, or the producer is fenced or broken: either way nothing of it is visible.
        }
    }

    /** Closes a producer that may be broken; returns null so the caller makes a new one on its next round. */
    public static KafkaProducer<byte[], byte[]> closeQuietly(KafkaProducer<byte[], byte[]> p) {
        if (p != null) {
            try {
                p.close(Duration.ofSeconds(2));
            } catch (RuntimeException ignored) {
                // A new producer is made on the next round.
            }
        }
        return null;
    }
}
