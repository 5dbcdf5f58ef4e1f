package io.tracemark.verify.feed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.anchor.AnchorRequestCodec;
import io.tracemark.edge.kafka.ConsumerLoop;
import io.tracemark.edge.kafka.StepRetries;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The one reader of ingest's anchor requests ({@code tracemark.anchor-requests}, decoded once each with the
 * contracts' {@link AnchorRequestCodec}) that builds every {@link FedIndex} from the record store and keeps them
 * current: each new request is handed to all of them.
 *
 * <p>No record is missed between the two: the topic's end offsets are read <em>before</em> the store is scanned,
 * and the tail starts at them. ingest publishes a request only after storing its record, so a request below those
 * offsets is about a record the scan sees, and one at or above them is read from the topic; indexes index a
 * record seen twice once. A rebuild of one index scans the store while the tail waits at its position, which is
 * below the end offsets of that moment, so the same holds. Every replica reads all partitions itself (no consumer
 * group, nothing committed).
 *
 * <p>A request that breaks the contract is skipped, counted by reason and logged with its stack trace once per
 * reason; attest parks it on the dead-letter topic already. A failure of Kafka or the store closes the consumer
 * and is retried with backoff ({@code tracemark.verify.feed.retry-delay} doubling up to {@code max-backoff}):
 * the indexes are built again from the store and the tail resumes from the end offsets of that moment.
 */
@Singleton
public class AnchorRequestFeed {
    private static final Logger LOG = Logger.getLogger(AnchorRequestFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String bootstrap;
    private final String topic;
    private final Duration partitionRefresh;
    private final List<FedIndex<?>> indexes;
    private final Counter decoded;
    private final ConsumerLoop loop;
    private KafkaConsumer<byte[], byte[]> consumer;
    private long nextRefresh;
    private volatile boolean failing;

    public AnchorRequestFeed(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
                             @ConfigProperty(name = "tracemark.topics.anchor-requests") String topic,
                             @ConfigProperty(name = "tracemark.verify.feed.partition-refresh") Duration partitionRefresh,
                             @ConfigProperty(name = "tracemark.verify.feed.retry-delay") Duration retryDelay,
                             @ConfigProperty(name = "tracemark.verify.feed.max-backoff") Duration maxBackoff,
                             @All List<FedIndex<?>> indexes, MeterRegistry meters) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.partitionRefresh = partitionRefresh;
        this.indexes = List.copyOf(indexes);
        this.decoded = Counter.builder("tracemark.verify.feed.requests").baseUnit("requests")
                .description("anchor requests read from the topic and decoded, once each for every index").register(meters);
        this.loop = new ConsumerLoop("verify-anchor-requests",
                StepRetries.untilStopped("verify-anchor-requests", retryDelay, maxBackoff, this::failed));
    }

    void start(@Observes StartupEvent e) {
        loop.start(this::step, this::close);
    }

    void stop(@Observes ShutdownEvent e) {
        loop.stop(Duration.ofSeconds(10));
    }

    /** The indexes this feed keeps current. */
    public List<FedIndex<?>> indexes() {
        return indexes;
    }

    /** One step: builds every index on a fresh consumer, or rebuilds one that asked for it, or reads one poll. */
    private void step() {
        try {
            if (consumer == null) {
                consumer = loop.watch(newConsumer());
                buildAll();
            } else {
                for (FedIndex<?> index : indexes) {
                    if (index.rebuildRequested()) {
                        index.build();
                    }
                }
                tail();
            }
            failing = false;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Reads the end offsets, builds each index from the store, and starts the tail at those offsets. */
    private void buildAll() {
        List<TopicPartition> partitions = partitions();
        // Assigned first: a read_committed consumer asked for the end of partitions it does not hold warns for each.
        consumer.assign(partitions);
        Map<TopicPartition, Long> from = new HashMap<>(consumer.endOffsets(partitions));
        for (FedIndex<?> index : indexes) {
            index.build();
        }
        from.forEach(consumer::seek);
        nextRefresh = System.currentTimeMillis() + partitionRefresh.toMillis();
    }

    /** Applies one poll's requests to every index; now and then takes partitions added to the topic. */
    private void tail() {
        List<AnchorRequest> requests = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
            AnchorRequest a = decode(r);
            if (a != null) {
                requests.add(a);
            }
        }
        if (!requests.isEmpty()) {
            indexes.forEach(i -> i.feed(requests));
        }
        if (System.currentTimeMillis() >= nextRefresh) {
            // Partitions added to the topic later hold only requests newer than the build: read them whole.
            Set<TopicPartition> now = new HashSet<>(partitions());
            if (!now.equals(consumer.assignment())) {
                Set<TopicPartition> added = new HashSet<>(now);
                added.removeAll(consumer.assignment());
                consumer.assign(now);
                consumer.seekToBeginning(added);
            }
            nextRefresh = System.currentTimeMillis() + partitionRefresh.toMillis();
        }
    }

    private AnchorRequest decode(ConsumerRecord<byte[], byte[]> r) {
        decoded.increment();
        try {
            return AnchorRequestCodec.decode(r.value() == null ? new byte[0] : r.value());
        } catch (ContractViolation e) {
            String where = r.topic() + "-" + r.partition() + " offset " + r.offset();
            indexes.forEach(i -> i.skipped(e, where));
            return null;
        }
    }

    private void failed(Throwable t) {
        if (!failing) {
            failing = true;
            LOG.errorf(t, "anchor-request feed failed; retrying with backoff (logged once until it recovers)");
        } else {
            LOG.debugf("anchor-request feed failed again: %s", t);
        }
        indexes.forEach(i -> i.failed(t));
    }

    private void close() {
        KafkaConsumer<byte[], byte[]> c = consumer;
        consumer = null;
        if (c != null) {
            try {
                c.close(Duration.ofSeconds(2));
            } catch (RuntimeException ignored) {
                // Closing a consumer that failed: a new one is made on the next step.
            }
        }
    }

    private List<TopicPartition> partitions() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        List<TopicPartition> out = new ArrayList<>();
        if (infos != null) {
            infos.forEach(p -> out.add(new TopicPartition(p.topic(), p.partition())));
        }
        return out;
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "verify-anchor-requests-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
