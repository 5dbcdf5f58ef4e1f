package io.tracemark.verify.feed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.anchor.AnchorRequestCodec;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory index built from the record store at start and kept current from ingest's anchor requests
 * ({@code tracemark.anchor-requests}, decoded with the contracts' {@link AnchorRequestCodec}).
 *
 * <p>No record is missed between the two: the topic's end offsets are read <em>before</em> the store is scanned,
 * and the tail starts at them. ingest publishes a request only after storing its record, so a request below those
 * offsets is about a record the scan sees, and one at or above them is read from the topic; subclasses index a
 * record seen twice once. Every replica reads all partitions itself (no consumer group, nothing committed).
 *
 * <p>A request that breaks the contract is skipped, counted by reason and logged with its stack trace once per
 * reason; attest parks it on the dead-letter topic already.
 *
 * @param <I> the index type
 */
public abstract class AnchorRequestFeed<I> {
    private static final Logger LOG = Logger.getLogger(AnchorRequestFeed.class);

    private final String bootstrap;
    private final String topic;
    private final Duration partitionRefresh;
    private final MeterRegistry meters;
    private final String meterPrefix;
    private final String name;
    private final Set<String> loggedReasons = ConcurrentHashMap.newKeySet();
    private volatile I index;
    private volatile CompletableFuture<Duration> rebuild;
    private volatile boolean running;
    private volatile boolean built;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile long lastBuildMillis = -1;
    private volatile String failure = "starting";
    private Thread thread;

    /**
     * @param meterPrefix prefix of the feed's meters ({@code .failures}, {@code .skipped})
     * @param name        what the index is called in logs and readiness reasons, e.g. "claim index"
     */
    protected AnchorRequestFeed(String bootstrap, String topic, Duration partitionRefresh, MeterRegistry meters,
                                String meterPrefix, String name) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.partitionRefresh = partitionRefresh;
        this.meters = meters;
        this.meterPrefix = meterPrefix;
        this.name = name;
    }

    /** Scans the store into a fresh index (the current one answers meanwhile). */
    protected abstract I buildFromStore();

    /** What an index holds, for the log. */
    protected abstract String describe(I built);

    /** Adds the records these requests announce to {@code current}. */
    protected abstract void apply(I current, List<AnchorRequest> requests);

    /** The exception a lookup gets before the first build: one its feature maps to 503. */
    protected abstract RuntimeException notBuilt(String reason);

    /** The index, once built; until then lookups throw {@link #notBuilt}. */
    public I index() {
        I i = index;
        if (i == null) {
            throw notBuilt(notReadyReason());
        }
        return i;
    }

    /** The index, or null before the first build (for gauges). */
    protected I current() {
        return index;
    }

    /** Throws when a request is unusable for this index though well-formed for the codec; does nothing by default. */
    protected void validate(AnchorRequest request) {
    }

    /** Starts the feed thread. */
    protected final void startFeed(String threadName) {
        running = true;
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the feed thread at shutdown, waiting up to ten seconds (an observer the subclass beans inherit). */
    void stop(@Observes ShutdownEvent e) {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Why the index is not serving yet, or null once it is. */
    public String notReadyReason() {
        return built ? null : failure;
    }

    /** Duration of the latest build from the store in seconds (-0.001 before the first). */
    protected double lastBuildSeconds() {
        return lastBuildMillis / 1000.0;
    }

    /**
     * Builds a fresh index from the store and swaps it in (the old one answers meanwhile); completes with the
     * time the build took. For operators and benchmarks after a bulk load that bypassed the topic.
     */
    public CompletableFuture<Duration> rebuild() {
        CompletableFuture<Duration> f = new CompletableFuture<>();
        rebuild = f;
        return f;
    }

    private void run() {
        long backoff = 500;
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = newConsumer()) {
                consumer = c;
                tail(c, build(c));
                backoff = 500;
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                failure = "the " + name + " could not be built or fed: " + e;
                LOG.errorf(e, "%s feed failed; retrying in %d ms", name, backoff);
                Counter.builder(meterPrefix + ".failures")
                        .description("failures of the " + name + "'s build or Kafka feed (retried)").register(meters).increment();
                sleep(backoff);
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    /** Reads the end offsets, scans the store into a fresh index, swaps it in; returns where the tail starts. */
    private Map<TopicPartition, Long> build(KafkaConsumer<byte[], byte[]> c) {
        CompletableFuture<Duration> requested = rebuild;
        long start = System.nanoTime();
        List<TopicPartition> partitions = partitions(c);
        // Assigned first: a read_committed consumer asked for the end of partitions it does not hold warns for each.
        c.assign(partitions);
        Map<TopicPartition, Long> from = new HashMap<>(c.endOffsets(partitions));
        I fresh = buildFromStore();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        index = fresh;
        built = true;
        lastBuildMillis = took.toMillis();
        LOG.infof("%s built from the store: %s, in %d ms", name, describe(fresh), took.toMillis());
        if (requested != null) {
            if (rebuild == requested) {
                rebuild = null;
            }
            requested.complete(took);
        }
        return from;
    }

    /** Applies requests from the topic until stopped or a rebuild is asked for. */
    private void tail(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> from) {
        c.assign(from.keySet());
        from.forEach(c::seek);
        long nextRefresh = System.currentTimeMillis() + partitionRefresh.toMillis();
        while (running && rebuild == null) {
            List<AnchorRequest> requests = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                AnchorRequest a = decode(r);
                if (a != null) {
                    requests.add(a);
                }
            }
            if (!requests.isEmpty()) {
                apply(index, requests);
            }
            if (System.currentTimeMillis() >= nextRefresh) {
                // Partitions added to the topic later hold only requests newer than the build: read them whole.
                Set<TopicPartition> now = new HashSet<>(partitions(c));
                if (!now.equals(c.assignment())) {
                    Set<TopicPartition> added = new HashSet<>(now);
                    added.removeAll(c.assignment());
                    c.assign(now);
                    c.seekToBeginning(added);
                }
                nextRefresh = System.currentTimeMillis() + partitionRefresh.toMillis();
            }
        }
    }

    private AnchorRequest decode(ConsumerRecord<byte[], byte[]> r) {
        try {
            AnchorRequest a = AnchorRequestCodec.decode(r.value() == null ? new byte[0] : r.value());
            validate(a);
            return a;
        } catch (ContractViolation e) {
            Counter.builder(meterPrefix + ".skipped").tag("reason", e.code())
                    .description("anchor requests the " + name + " could not read (contract violations), by reason")
                    .register(meters).increment();
            if (loggedReasons.add(e.code())) {
                LOG.warnf(e, "%s skipped an anchor request (%s at %s-%d offset %d); further ones are only counted",
                        name, e.code(), r.topic(), r.partition(), r.offset());
            }
            return null;
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic);
        List<TopicPartition> out = new ArrayList<>();
        if (infos != null) {
            infos.forEach(p -> out.add(new TopicPartition(p.topic(), p.partition())));
        }
        return out;
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "verify-" + name.replace(' ', '-') + "-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
