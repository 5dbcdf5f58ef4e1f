package io.tracemark.ingest.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumer lag of the Kafka intake: records on {@code tracemark.records} partitions assigned to this
 * replica that are not yet committed (log end offset minus committed offset, summed), measured every
 * {@code tracemark.ingest.health.lag-interval} and exported as gauge {@code tracemark.ingest.kafka.lag}.
 *
 * <p>The Kafka client's own {@code records-lag-max} counts from the fetch position, not the committed
 * offset, and only on fetches: records already fetched into the batch that is blocked on the store, or
 * waiting behind paused partitions, do not show in it (it read 0 with 40 records waiting in
 * {@code StoreOutageTest}) — exactly when lag matters. Three cheap broker requests (ListOffsets twice,
 * OffsetFetch) on the consumer's polling thread measure it regardless; -1 means not measured yet.
 */
@ApplicationScoped
public class IntakeLag {
    private static final Logger LOG = Logger.getLogger(IntakeLag.class);
    private static final String CHANNEL = "records";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

    @Inject
    KafkaClientService kafka;
    @Inject
    MeterRegistry meters;

    private volatile long lag = -1;
    private final AtomicLong measurements = new AtomicLong();

    void start(@Observes StartupEvent e) {
        Gauge.builder("tracemark.ingest.kafka.lag", this, IntakeLag::lag).baseUnit("records")
                .description("records on tracemark.records assigned to this replica and not yet committed (-1: unknown)")
                .register(meters);
    }

    /** The last measured lag, or -1 before the first measurement. */
    public long lag() {
        return lag;
    }

    /** How many measurements have completed since start. */
    public long measurements() {
        return measurements.get();
    }

    /**
     * Measures every {@code tracemark.ingest.health.lag-interval} (the scheduler's resolution is a second); a
     * measurement still waiting on the broker when the next is due makes it skip.
     */
    @Scheduled(identity = "intake-lag", every = "${tracemark.ingest.health.lag-interval}",
            delayed = "${tracemark.ingest.health.lag-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void measure() {
        try {
            // One consumer per tracemark.ingest.intake-consumers, each with its own partitions.
            List<KafkaConsumer<Object, Object>> consumers = kafka.getConsumers(CHANNEL);
            if (consumers == null || consumers.isEmpty()) {
                return;
            }
            long measured = 0;
            for (KafkaConsumer<Object, Object> consumer : consumers) {
                measured += consumer.runOnPollingThread(IntakeLag::lagOf).await().atMost(CALL_TIMEOUT.multipliedBy(3));
            }
            lag = measured;
            measurements.incrementAndGet();
        } catch (RuntimeException ex) {
            // The gauge keeps its last value; Kafka's own health check reports an unreachable broker.
            LOG.debugf("intake lag not measured: %s", ex.toString());
        }
    }

    private static long lagOf(Consumer<Object, Object> c) {
        Set<TopicPartition> assigned = c.assignment();
        if (assigned.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, Long> end = c.endOffsets(assigned, CALL_TIMEOUT);
        Map<TopicPartition, OffsetAndMetadata> committed = c.committed(assigned, CALL_TIMEOUT);
        Map<TopicPartition, Long> begin = c.beginningOffsets(assigned, CALL_TIMEOUT);
        long total = 0;
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata done = committed.get(tp);
            long from = done == null ? begin.getOrDefault(tp, 0L) : done.offset();
            total += Math.max(0, end.getOrDefault(tp, from) - from);
        }
        return total;
    }
}
