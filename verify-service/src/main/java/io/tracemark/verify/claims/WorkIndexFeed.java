package io.tracemark.verify.claims;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.anchor.AnchorRequestCodec;
import io.tracemark.proofs.media.PerceptualHash;
import io.tracemark.verify.receipts.RecordsView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the {@link WorkIndex} from the record store at start and keeps it current from ingest's anchor requests
 * ({@code tracemark.anchor-requests}, decoded with the contracts' {@link AnchorRequestCodec}; media works carry
 * their file SHA-256 and pHash there).
 *
 * <p>No work is missed between the two: the topic's end offsets are read <em>before</em> the store is scanned, and
 * the tail starts at them. ingest publishes a request only after storing its record, so a request below those
 * offsets is about a record the scan sees, and one at or above them is read from the topic. A work seen twice is
 * indexed once. Every replica reads all partitions itself (no consumer group, nothing committed).
 *
 * <p>A request that breaks the contract is skipped, counted by reason and logged with its stack trace once per
 * reason; attest parks it on the dead-letter topic already.
 */
@ApplicationScoped
public class WorkIndexFeed {
    private static final Logger LOG = Logger.getLogger(WorkIndexFeed.class);
    private static final int SCAN_BATCH = 10_000;

    private final String bootstrap;
    private final String topic;
    private final Duration partitionRefresh;
    private final RecordsView view;
    private final MeterRegistry meters;
    private final Set<String> loggedReasons = ConcurrentHashMap.newKeySet();
    private volatile WorkIndex index;
    private volatile CompletableFuture<Duration> rebuild;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile long lastBuildMillis = -1;
    private volatile String failure = "starting";
    private Thread thread;

    public WorkIndexFeed(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
                         @ConfigProperty(name = "tracemark.topics.anchor-requests") String topic,
                         @ConfigProperty(name = "tracemark.verify.claims.index.partition-refresh") Duration partitionRefresh,
                         RecordsView view, MeterRegistry meters) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.partitionRefresh = partitionRefresh;
        this.view = view;
        this.meters = meters;
    }

    void start(@Observes StartupEvent e) {
        Gauge.builder("tracemark.verify.claims.index.works", () -> index == null ? 0 : index.size())
                .description("media works in the in-memory claim index").register(meters);
        Gauge.builder("tracemark.verify.claims.index.bytes", () -> index == null ? 0 : index.bytes()).baseUnit("bytes")
                .description("heap held by the claim index's arrays").register(meters);
        Gauge.builder("tracemark.verify.claims.index.build.seconds", () -> lastBuildMillis / 1000.0).baseUnit("seconds")
                .description("duration of the latest build of the claim index from the store (-0.001 before the first)")
                .register(meters);
        running = true;
        thread = new Thread(this::run, "claims-index-feed");
        thread.setDaemon(true);
        thread.start();
    }

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

    /** The index, once built; until then claim lookups cannot be answered. */
    public WorkIndex index() {
        WorkIndex i = index;
        if (i == null) {
            throw new IndexLoading(failure);
        }
        return i;
    }

    /** Why the index is not serving yet, or null once it is. */
    public String notReadyReason() {
        return index == null ? failure : null;
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
                failure = "the claim index could not be built or fed: " + e;
                LOG.errorf(e, "claim index feed failed; retrying in %d ms", backoff);
                Counter.builder("tracemark.verify.claims.index.failures")
                        .description("failures of the claim index's build or Kafka feed (retried)").register(meters).increment();
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
        WorkIndex fresh = new WorkIndex();
        List<WorkIndex.Work> batch = new ArrayList<>(SCAN_BATCH);
        view.forEachWork((id, sha, phash) -> {
            batch.add(new WorkIndex.Work(id, sha, phash));
            if (batch.size() == SCAN_BATCH) {
                fresh.addAll(batch);
                batch.clear();
            }
        });
        fresh.addAll(batch);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        index = fresh;
        lastBuildMillis = took.toMillis();
        LOG.infof("claim index built from the store: %d works, %d MiB, in %d ms", fresh.size(),
                fresh.bytes() >> 20, took.toMillis());
        if (requested != null) {
            if (rebuild == requested) {
                rebuild = null;
            }
            requested.complete(took);
        }
        return from;
    }

    /** Adds works from the topic until stopped or a rebuild is asked for. */
    private void tail(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> from) {
        c.assign(from.keySet());
        from.forEach(c::seek);
        long nextRefresh = System.currentTimeMillis() + partitionRefresh.toMillis();
        while (running && rebuild == null) {
            List<WorkIndex.Work> works = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                WorkIndex.Work w = workOf(r);
                if (w != null) {
                    works.add(w);
                }
            }
            if (!works.isEmpty()) {
                index.addAll(works);
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

    private WorkIndex.Work workOf(ConsumerRecord<byte[], byte[]> r) {
        AnchorRequest a;
        try {
            a = AnchorRequestCodec.decode(r.value() == null ? new byte[0] : r.value());
        } catch (ContractViolation e) {
            skipped(e.code(), r, e);
            return null;
        }
        if (!RecordsView.MEDIA_WORK.equals(a.type())) {
            return null;
        }
        if (a.work() == null) {
            skipped("anchor-request.work", r, new ContractViolation("anchor-request.work", "a media work without work identity"));
            return null;
        }
        return new WorkIndex.Work(a.recordId(), a.work().sha256(),
                a.work().phash() == null ? null : PerceptualHash.parse(a.work().phash()));
    }

    private void skipped(String reason, ConsumerRecord<byte[], byte[]> r, ContractViolation e) {
        Counter.builder("tracemark.verify.claims.index.skipped").tag("reason", reason)
                .description("anchor requests the claim index could not read (contract violations), by reason")
                .register(meters).increment();
        if (loggedReasons.add(reason)) {
            LOG.warnf(e, "claim index skipped an anchor request (%s at %s-%d offset %d); further ones are only counted",
                    reason, r.topic(), r.partition(), r.offset());
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
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "verify-claims-index-" + UUID.randomUUID().toString().substring(0, 8));
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

    /** The claim index is not built yet (the service just started, or the store or Kafka is unreachable). */
    public static final class IndexLoading extends RuntimeException {
        IndexLoading(String reason) {
            super(reason);
        }
    }
}
