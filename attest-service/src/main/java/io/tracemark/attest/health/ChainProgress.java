package io.tracemark.attest.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.tracemark.proofs.ledger.LeafBatchCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Whether the chain is sealing what is submitted to it: the broker time of the oldest leaf batch on
 * {@code tracemark.chain.leaves} that no sealed block on {@code tracemark.chain.blocks} covers yet.
 *
 * <p>Measured from the topics, the contract every chain-node replica honours, rather than from attest's
 * own state: a block covers every leaves-topic record up to its {@code leavesToOffset}, so the oldest
 * unsealed batch is the first {@link LeafBatchCodec#LEAVES} record after the highest such offset (seal
 * markers after it are not leaves). Each probe costs one ListOffsets request; records are fetched only
 * when a blocks partition grew (its last block) or leaves wait (up to the first waiting batch).
 */
@ApplicationScoped
public class ChainProgress {
    private static final Logger LOG = Logger.getLogger(ChainProgress.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

    @Inject
    ObjectMapper json;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "tracemark.topics.chain-leaves")
    String leavesTopic;
    @ConfigProperty(name = "tracemark.topics.chain-blocks")
    String blocksTopic;

    /**
     * The last probe: {@code sealedThrough} the highest leaves offset a block covers (-1: none),
     * {@code oldestUnsealed} the broker time of the oldest leaf batch after it, if any.
     */
    public record Snapshot(Instant probedAt, long leavesEnd, long sealedThrough, Optional<Instant> oldestUnsealed,
                           String error) {
    }

    private volatile Snapshot last;
    private final Map<TopicPartition, Long> blocksEndSeen = new HashMap<>();
    private long sealedThrough = -1;
    /** Offset and time of the oldest unsealed leaf batch found by the previous probe, kept while it stays unsealed. */
    private long unsealedOffset = -1;
    private Instant unsealedTime;
    private KafkaConsumer<byte[], byte[]> consumer;
    private boolean closed;

    // Synchronized with the probe: the consumer is closed between probes, never under one.
    synchronized void stop(@Observes ShutdownEvent e) {
        closed = true;
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** The last probe's result, empty before the first one finished. */
    public Optional<Snapshot> last() {
        return Optional.ofNullable(last);
    }

    /**
     * Probes the topics every {@code tracemark.attest.health.chain-probe-interval} (the scheduler's resolution is a
     * second); a probe still running when the next is due makes it skip.
     */
    @Scheduled(identity = "chain-progress", every = "${tracemark.attest.health.chain-probe-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void probe() {
        if (closed) {
            return;
        }
        try {
            if (consumer == null) {
                consumer = newConsumer();
            }
            TopicPartition leaves = new TopicPartition(leavesTopic, 0);
            List<TopicPartition> blocks = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(blocksTopic, CALL_TIMEOUT)) {
                blocks.add(new TopicPartition(p.topic(), p.partition()));
            }
            List<TopicPartition> all = new ArrayList<>(blocks);
            all.add(leaves);
            // Assigned (and paused) so that read_committed end offsets are tracked rather than warned about.
            consumer.assign(all);
            consumer.pause(all);
            Map<TopicPartition, Long> end = consumer.endOffsets(all, CALL_TIMEOUT);
            for (TopicPartition bp : blocks) {
                long e = end.getOrDefault(bp, 0L);
                if (e > 0 && !Long.valueOf(e).equals(blocksEndSeen.get(bp))) {
                    lastRecord(bp, e).ifPresent(r -> sealedThrough = Math.max(sealedThrough, leavesToOffset(r)));
                    blocksEndSeen.put(bp, e);
                }
            }
            long leavesEnd = end.getOrDefault(leaves, 0L);
            Optional<Instant> oldest = oldestUnsealed(leaves, leavesEnd);
            last = new Snapshot(Instant.now(), leavesEnd, sealedThrough, oldest, null);
        } catch (RuntimeException ex) {
            LOG.debugf("chain progress not probed: %s", ex.toString());
            Snapshot prev = last;
            last = new Snapshot(Instant.now(), prev == null ? -1 : prev.leavesEnd(), sealedThrough,
                    prev == null ? Optional.empty() : prev.oldestUnsealed(), ex.getClass().getSimpleName());
        }
    }

    private Optional<Instant> oldestUnsealed(TopicPartition leaves, long leavesEnd) {
        long from = sealedThrough + 1;
        if (unsealedOffset >= from) {
            return Optional.of(unsealedTime);
        }
        unsealedOffset = -1;
        readOnly(leaves);
        long begin = consumer.beginningOffsets(List.of(leaves), CALL_TIMEOUT).getOrDefault(leaves, 0L);
        consumer.seek(leaves, Math.max(from, begin));
        long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
        while (consumer.position(leaves, CALL_TIMEOUT) < leavesEnd && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (isLeaves(r.value())) {
                    unsealedOffset = r.offset();
                    unsealedTime = Instant.ofEpochMilli(r.timestamp());
                    return Optional.of(unsealedTime);
                }
            }
        }
        return Optional.empty();
    }

    /** Fetches from {@code tp} alone: the other assigned partitions stay paused. */
    private void readOnly(TopicPartition tp) {
        consumer.pause(consumer.assignment());
        consumer.resume(List.of(tp));
    }

    private static boolean isLeaves(byte[] value) {
        try {
            return value != null && LeafBatchCodec.type(value) == LeafBatchCodec.LEAVES;
        } catch (IllegalArgumentException e) {
            // Malformed records are skipped by every replica; nothing waits on them.
            return false;
        }
    }

    /** The last data record of a partition (a few offsets back, in case the very last one is a control record). */
    private Optional<ConsumerRecord<byte[], byte[]>> lastRecord(TopicPartition tp, long end) {
        readOnly(tp);
        consumer.seek(tp, Math.max(0, end - 4));
        ConsumerRecord<byte[], byte[]> lastSeen = null;
        long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
        while (consumer.position(tp, CALL_TIMEOUT) < end && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                lastSeen = r;
            }
        }
        return Optional.ofNullable(lastSeen);
    }

    private long leavesToOffset(ConsumerRecord<byte[], byte[]> block) {
        try {
            JsonNode n = json.readTree(block.value());
            return n.path("leavesToOffset").asLong(-1);
        } catch (Exception e) {
            return -1;
        }
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "attest-chain-progress");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // The first leaf batch after the sealed offset is all a probe needs; do not fetch megabytes behind it.
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
