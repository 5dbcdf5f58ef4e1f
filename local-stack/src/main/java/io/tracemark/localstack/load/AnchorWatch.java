package io.tracemark.localstack.load;

import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.events.EventCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows a load run on the event log, {@code tracemark.events}, instead of asking the stores: a
 * read_committed consumer that starts at the topic's end as the run begins (so nothing of the run is
 * missed and nothing before it is read), keeps the run tenant's events (the message key) and feeds
 * them to {@link RunEvents}.
 */
final class AnchorWatch implements AutoCloseable {
    /** The event log's topic. */
    static final String TOPIC = "tracemark.events";
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final byte[] tenantKey;
    private final RunEvents events;
    private final Thread thread;
    private final AtomicLong undecodable = new AtomicLong();
    private volatile boolean running = true;

    private AnchorWatch(KafkaConsumer<byte[], byte[]> consumer, String tenant) {
        this.consumer = consumer;
        this.tenantKey = tenant.getBytes(StandardCharsets.UTF_8);
        this.events = new RunEvents(tenant);
        this.thread = new Thread(this::follow, "load-anchor-watch");
        this.thread.setDaemon(true);
    }

    /** Positions a consumer at the current end of every partition, then follows the topic on a thread of its own. */
    static AnchorWatch start(String bootstrap, String tenant) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "load-driver-anchor-watch");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            List<PartitionInfo> infos = c.partitionsFor(TOPIC);
            List<TopicPartition> partitions = infos == null ? List.of()
                    : infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + TOPIC + " does not exist");
            }
            c.assign(partitions);
            // With read_committed these are last stable offsets: an event of this run cannot lie before them.
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            end.forEach(c::seek);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        AnchorWatch w = new AnchorWatch(c, tenant);
        w.thread.start();
        return w;
    }

    private void follow() {
        try {
            while (running) {
                try {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.value() == null || !Arrays.equals(r.key(), tenantKey)) {
                            continue;
                        }
                        try {
                            events.add(EventCodec.decode(r.value(), name -> {
                                Header h = r.headers().lastHeader(name);
                                return h == null ? null : h.value();
                            }), Instant.ofEpochMilli(r.timestamp()));
                        } catch (ContractViolation e) {
                            undecodable.incrementAndGet();
                        }
                    }
                } catch (WakeupException e) {
                    return;
                } catch (KafkaException e) {
                    // The broker is being restarted by a fault test: the consumer reconnects on the next poll.
                    sleep(500);
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Waits until {@code expected} records are anchored (or rejected, as those never will be) or the
     * timeout passes; returns what was seen.
     */
    RunEvents.Result awaitAnchored(long expected, Duration timeout, PrintStream out) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastPrint = System.nanoTime();
        while (System.nanoTime() < deadline && events.anchoredCount() + events.rejectedCount() < expected && thread.isAlive()) {
            if (System.nanoTime() - lastPrint > 2_000_000_000L) {
                out.printf("  accepted %,d / anchored %,d / rejected %,d of %,d%n", events.acceptedCount(),
                        events.anchoredCount(), events.rejectedCount(), expected);
                lastPrint = System.nanoTime();
            }
            Thread.sleep(100);
        }
        return events.result();
    }

    /** The run's events so far. */
    RunEvents events() {
        return events;
    }

    /** Messages of the run's tenant that were not events as {@code contracts} defines them. */
    long undecodable() {
        return undecodable.get();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
