package io.tracemark.attest.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * What a pipeline step does when a dependency fails: count the failure
 * ({@code tracemark_attest_stage_failures_total{stage}}), log its stack trace once per run of failures, show
 * it in readiness ({@link StageStatus}) and wait with capped exponential backoff before the step is retried.
 */
public final class StepFailures {
    private static final Logger LOG = Logger.getLogger(StepFailures.class);

    private final String stage;
    private final StageStatus status;
    private final Counter counter;
    private final long maxMillis;

    /** Failures of step {@code stage}, backing off up to {@code max}. */
    public StepFailures(String stage, StageStatus status, MeterRegistry meters, Duration max) {
        this.stage = stage;
        this.status = status;
        this.counter = Counter.builder("tracemark.attest.stage.failures").baseUnit("failures").tag("stage", stage)
                .description("aborted pipeline steps (retried with backoff)").register(meters);
        this.maxMillis = max.toMillis();
    }

    /** Records {@code ex} and sleeps the next backoff after {@code backoff} ms (0: the first); returns it. */
    public long failed(RuntimeException ex, long backoff) throws InterruptedException {
        counter.increment();
        if (status.failed(ex)) {
            LOG.errorf(ex, "%s step failed; retrying with backoff (logged once until it recovers)", stage);
        }
        long next = backoff == 0 ? 100 : Math.min(backoff * 2, maxMillis);
        Thread.sleep(next);
        return next;
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
