package io.tracemark.chain.kafka;

import io.opentelemetry.api.trace.Span;
import io.tracemark.chain.log.Commit;
import io.tracemark.chain.log.LeafHashes;
import io.tracemark.chain.log.LogEngine;
import io.tracemark.chain.log.Sealer;
import io.tracemark.chain.tracing.ReplicaTraces;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The apply thread: reads partition 0 of the leaves topic from the offset stored with the local
 * state, feeds every record to the {@link LogEngine}, hands cut blocks to the {@link Sealer}, and
 * publishes a seal marker when the oldest unsealed leaf is older than the block interval.
 */
public final class LeafConsumerLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LeafConsumerLoop.class);
    /** Below this many records of lag the replica counts as live and may send seal markers. */
    static final long CAUGHT_UP_LAG = 1000;
    private static final long END_OFFSET_QUERY_MILLIS = 1000;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicPartition partition;
    private final LogEngine engine;
    private final Sealer sealer;
    private final ChainPublisher publisher;
    private final long intervalMillis;
    private final ApplyStatus status;
    private final ReplicaTraces traces;
    private final Thread thread;
    /**
     * Hashes the leaves of polled records, and the inner nodes of their whole tiles, while the apply thread applies
     * earlier ones (one more core).
     */
    private final ExecutorService hashing = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "chain-hash");
        t.setDaemon(true);
        return t;
    });
    /** Used only on the hashing thread. */
    private final Rfc9162Hasher hashingHasher = new Rfc9162Hasher();
    private volatile boolean running = true;
    private long markerHeight = -1;
    private long markerSentAt;
    private long lastEndQuery;

    /** Starts applying from {@code engine.nextOffset()}, each leaf batch and cut traced by {@code traces}. */
    public LeafConsumerLoop(String bootstrap, String clientId, String topic, LogEngine engine, Sealer sealer,
            ChainPublisher publisher, Duration blockInterval, ApplyStatus status, ReplicaTraces traces) {
        Map<String, Object> props = KafkaSettings.consumer(bootstrap, clientId);
        this.consumer = new KafkaConsumer<>(props);
        this.partition = new TopicPartition(topic, 0);
        this.engine = engine;
        this.sealer = sealer;
        this.publisher = publisher;
        this.intervalMillis = blockInterval.toMillis();
        this.status = status;
        this.traces = traces;
        this.thread = new Thread(this::run, "chain-apply");
        thread.setDaemon(true);
    }

    /** Starts the thread. */
    public void start() {
        thread.start();
    }

    private void run() {
        status.started();
        try {
            consumer.assign(List.of(partition));
            consumer.seek(partition, engine.nextOffset());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(50));
                long now = System.currentTimeMillis();
                long sizeBefore = engine.treeSize();
                List<Future<LeafHashes>> leafHashes = new ArrayList<>(records.count());
                // Where each record will start if none of the polled digests is a duplicate (almost always so).
                long expectedStart = sizeBefore;
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    long start = expectedStart;
                    leafHashes.add(hashing.submit(() -> LeafHashes.compute(r.value(), hashingHasher, start)));
                    expectedStart += LeafHashes.leafCount(r.value());
                }
                int i = 0;
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    Span applying = traces.applying(r);
                    try {
                        Commit c = engine.apply(r.offset(), r.timestamp(), r.value(), hashed(leafHashes.get(i++)));
                        if (c != null) {
                            traces.cut(c.block(), applying);
                            sealer.submit(c);
                        }
                    } finally {
                        applying.end();
                    }
                }
                if (!records.isEmpty()) {
                    status.applied(now, engine.treeSize() - sizeBefore);
                }
                if (sealer.failure() != null) {
                    throw new IllegalStateException("sealer failed", sealer.failure());
                }
                long lag = lag(now);
                maybeSeal(now, lag);
            }
            status.stopped();
        } catch (WakeupException e) {
            status.stopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status.stopped();
        } catch (RuntimeException | Error e) {
            LOG.error("apply loop died", e);
            status.failed(e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private static LeafHashes hashed(Future<LeafHashes> leafHashes) throws InterruptedException {
        try {
            return leafHashes.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("hashing leaves failed", e.getCause());
        }
    }

    /**
     * Queries the topic end once a second (which doubles as the Kafka reachability probe) and
     * otherwise uses the lag the last fetch reported.
     */
    private long lag(long now) {
        if (now - lastEndQuery >= END_OFFSET_QUERY_MILLIS) {
            lastEndQuery = now;
            try {
                long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(2)).get(partition);
                status.reachable(now, Math.max(0, end - consumer.position(partition, Duration.ofSeconds(2))));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.debugf("leaves topic end offset unavailable: %s", e.getMessage());
            }
        }
        OptionalLong fetched = consumer.currentLag(partition);
        return fetched.isPresent() ? fetched.getAsLong() : status.lag();
    }

    /**
     * One marker per pending period: any replica may send it, duplicates are no-ops, and a lagging
     * replica stays quiet because its view of "old" leaves is stale. If a marker seems lost (the
     * period lasts ten intervals longer), it is sent again.
     */
    private void maybeSeal(long now, long lag) {
        if (engine.pendingLeaves() == 0 || lag < 0 || lag > CAUGHT_UP_LAG
                || now - engine.oldestPendingTime() < intervalMillis) {
            return;
        }
        boolean sentForThisBlock = markerHeight == engine.nextHeight();
        if (sentForThisBlock && now - markerSentAt < 10 * intervalMillis) {
            return;
        }
        publisher.publishSeal(engine.treeSize());
        markerHeight = engine.nextHeight();
        markerSentAt = now;
    }

    /** Stops the loop and waits for it. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
        hashing.shutdownNow();
    }
}
