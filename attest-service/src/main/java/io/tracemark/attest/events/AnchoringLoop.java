package io.tracemark.attest.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.attest.blocks.BlockBook;
import io.tracemark.attest.blocks.BlockCopies;
import io.tracemark.attest.kafka.EventRecords;
import io.tracemark.attest.kafka.KafkaClients;
import io.tracemark.attest.kafka.StageStatus;
import io.tracemark.attest.kafka.StepFailures;
import io.tracemark.attest.ledger.ChainNodeClient;
import io.tracemark.attest.ledger.LeafBatchReader;
import io.tracemark.attest.ledger.PublishedBatches;
import io.tracemark.attest.receipts.AnchoredRecord;
import io.tracemark.attest.receipts.ReceiptFactory;
import io.tracemark.attest.receipts.WitnessEvidenceReader;
import io.tracemark.attest.tracing.RecordHops;
import io.tracemark.attest.tracing.RecordTraces;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.blocks.BlockMessage;
import io.tracemark.contracts.blocks.BlockMessageCodec;
import io.tracemark.contracts.events.Event;
import io.tracemark.edge.logging.LogContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The exactly-once step from sealed blocks to {@code record.anchored} events. It follows
 * {@code tracemark.chain.blocks} (one partition; every chain-node replica publishes its own copy of each
 * block), gathers each block's copies until its checkpoint carries every replica's signature or
 * {@code tracemark.attest.receipt.signature-wait} has passed ({@link BlockCopies}), records the per-block
 * fact, builds every record's receipt in bulk ({@link ReceiptFactory}) and publishes the events in one Kafka
 * transaction with the consumer's offset. The offset's metadata carries the next height to anchor, so a
 * replay after a crash skips copies of blocks already anchored: each record gets one {@code record.anchored},
 * with the same id and body every time it is built.
 */
@ApplicationScoped
public class AnchoringLoop {
    private static final Logger LOG = Logger.getLogger(AnchoringLoop.class);
    private static final String NEXT_HEIGHT = "next-height=";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "tracemark.attest.instance-id")
    String instanceId;
    @ConfigProperty(name = "tracemark.topics.chain-blocks")
    String blocksTopic;
    @ConfigProperty(name = "tracemark.topics.chain-leaves")
    String leavesTopic;
    @ConfigProperty(name = "tracemark.topics.events")
    String eventsTopic;
    @ConfigProperty(name = "tracemark.attest.anchoring.group-id", defaultValue = "tracemark-attest-blocks")
    String groupId;
    @ConfigProperty(name = "tracemark.attest.receipt.signature-wait", defaultValue = "2s")
    Duration signatureWait;
    @ConfigProperty(name = "tracemark.attest.receipt.late-signature-wait", defaultValue = "20s")
    Duration lateSignatureWait;
    @ConfigProperty(name = "tracemark.attest.receipt.timestamp-wait", defaultValue = "5s")
    Duration timestampWait;
    @ConfigProperty(name = "tracemark.attest.receipt.expected-signatures", defaultValue = "0")
    int configuredSignatures;
    @ConfigProperty(name = "tracemark.attest.anchoring.max-backoff", defaultValue = "10s")
    Duration maxBackoff;
    @ConfigProperty(name = "tracemark.attest.anchoring.max-leaves-per-commit", defaultValue = "5000")
    long maxLeavesPerCommit;
    @Inject
    BlockBook blocks;
    @Inject
    ReceiptFactory receipts;
    @Inject
    ChainNodeClient chain;
    @Inject
    MeterRegistry meters;
    @Inject
    RecordTraces traces;
    @Inject
    RecordHops hops;
    @Inject
    PublishedBatches published;
    @Inject
    WitnessEvidenceReader witnesses;

    private final StageStatus status = new StageStatus();
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private BlockCopies copies = new BlockCopies(-1);
    private TopicPartition partition;
    private int expected = 1;
    private long expectedAt;
    private Timer latency;
    private Counter anchoredEvents;
    private Counter unsigned;
    private StepFailures failures;
    private volatile long lastAnchoredHeight = -1;
    /** Replicas seen publishing blocks lately, by key name: a replica the chain-node's key list lacks still counts. */
    private final Map<String, Long> recentSigners = new java.util.HashMap<>();
    private final Map<String, Timer> steps = new java.util.HashMap<>();

    void start(@Observes StartupEvent e) {
        latency = Timer.builder("tracemark.anchoring.latency")
                .description("time from a record's acceptance by ingest to its record.anchored event being committed")
                .publishPercentileHistogram().register(meters);
        anchoredEvents = Counter.builder("tracemark.attest.anchored").baseUnit("records")
                .description("record.anchored events committed, one per record").register(meters);
        unsigned = Counter.builder("tracemark.attest.partially.signed").baseUnit("blocks")
                .description("blocks anchored with fewer replica signatures than expected (signature-wait passed)").register(meters);
        failures = new StepFailures("anchoring", status, meters, maxBackoff);
        partition = new TopicPartition(blocksTopic, 0);
        running = true;
        thread = new Thread(this::run, "attest-anchoring");
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

    /** The step's health, for readiness. */
    public StageStatus status() {
        return status;
    }

    /** Height of the last block whose events were committed, or -1. */
    public long lastAnchoredHeight() {
        return lastAnchoredHeight;
    }

    private void run() {
        long backoff = 0;
        KafkaProducer<byte[], byte[]> producer = null;
        try (KafkaConsumer<byte[], byte[]> c = KafkaClients.consumer(bootstrap, groupId, "attest-anchoring", 1000);
             LeafBatchReader reader = new LeafBatchReader(bootstrap, leavesTopic)) {
            consumer = c;
            c.subscribe(List.of(blocksTopic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    copies = new BlockCopies(-1);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    resume(c);
                }
            });
            // After a failure the gathered copies may be past a block whose events were never committed (it was
            // released, then its transaction failed): nothing is anchored until the consumer is back at the
            // committed position and height. Retrying that alone would skip the block for ever if the committed
            // offset cannot be read at once (Kafka down too), which the fault suite caught.
            boolean rewound = true;
            while (running) {
                try {
                    if (!rewound) {
                        resume(c);
                        rewound = true;
                    }
                    if (producer == null) {
                        producer = KafkaClients.transactional(bootstrap, "anchoring", instanceId);
                    }
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(50))) {
                        add(r);
                    }
                    List<BlockCopies.Gathered> ready;
                    while (!(ready = releaseReady()).isEmpty()) {
                        anchor(c, producer, reader, ready);
                        backoff = 0;
                    }
                } catch (WakeupException w) {
                    break;
                } catch (RuntimeException ex) {
                    rewound = false;
                    StepFailures.abortQuietly(producer);
                    if (ex instanceof KafkaException) {
                        producer = StepFailures.closeQuietly(producer);
                    }
                    backoff = backoff(ex, backoff);
                }
            }
        } finally {
            StepFailures.closeQuietly(producer);
            status.stopped();
        }
    }

    /** Goes back to the committed position and the next height stored with it. */
    private void resume(KafkaConsumer<byte[], byte[]> c) {
        if (!c.assignment().contains(partition)) {
            return;
        }
        OffsetAndMetadata committed = c.committed(Set.of(partition), Duration.ofSeconds(10)).get(partition);
        long next = -1;
        if (committed != null) {
            c.seek(partition, committed.offset());
            String meta = committed.metadata();
            if (meta != null && meta.startsWith(NEXT_HEIGHT)) {
                next = Long.parseLong(meta.substring(NEXT_HEIGHT.length()));
            }
        } else {
            c.seekToBeginning(Set.of(partition));
        }
        copies = new BlockCopies(next);
    }

    private void add(ConsumerRecord<byte[], byte[]> r) {
        BlockMessage m;
        try {
            m = BlockMessageCodec.decode(r.value());
        } catch (ContractViolation e) {
            LOG.errorf(e, "skipping block message at offset %d (%s)", r.offset(), e.code());
            return;
        }
        if (m.signer() != null) {
            recentSigners.put(m.signer(), System.nanoTime());
        }
        long height = m.header().height();
        if (height < copies.nextHeight()) {
            // A late replica's copy of a block already anchored (it was down or slow past signature-wait, and
            // publishes its copies as it catches up): its signature still joins the per-block fact, which the
            // receipts verify serves are built from.
            blocks.addSignatures(BlockBook.header(m.header()), m.checkpoint());
            return;
        }
        copies.add(m, r.offset(), r.timestamp(), System.nanoTime());
    }

    /**
     * The blocks ready to anchor now, in height order: one, or several when they queued up (the step was busy),
     * up to {@code tracemark.attest.anchoring.max-leaves-per-commit} leaves, so that their events share one
     * transaction and a backlog drains instead of each block paying the commit's round trips.
     */
    private List<BlockCopies.Gathered> releaseReady() {
        List<BlockCopies.Gathered> out = new ArrayList<>();
        long leaves = 0;
        Optional<BlockCopies.Gathered> g;
        while (leaves < maxLeavesPerCommit && (g = copies.release(expected(), signatureWait.toNanos(),
                lateSignatureWait.toNanos(), liveSigners(System.nanoTime()), System.nanoTime())).isPresent()) {
            out.add(g.get());
            leaves += g.get().header().leafCount();
        }
        return out;
    }

    /** One block's events, built and waiting for the commit. */
    private record Built(BlockCopies.Gathered block, List<AnchoredRecord> anchored, List<Event> events, int expected,
                         long releasedNanos) {
    }

    /** Builds the events of {@code ready} blocks and commits them in one transaction with the consumer's position. */
    private void anchor(KafkaConsumer<byte[], byte[]> c, KafkaProducer<byte[], byte[]> producer, LeafBatchReader reader,
                        List<BlockCopies.Gathered> ready) {
        List<Built> built = new ArrayList<>(ready.size());
        for (BlockCopies.Gathered g : ready) {
            try (LogContext ignored = LogContext.block(g.header().height())) {
                built.add(build(reader, g));
            }
        }
        long t3 = System.nanoTime();
        List<String> ids = new ArrayList<>();
        built.forEach(b -> b.anchored().forEach(a -> ids.add(a.record().recordId())));
        Map<String, byte[]> traced = traces.of(ids);
        BlockCopies.Gathered last = ready.get(ready.size() - 1);
        producer.beginTransaction();
        for (Built b : built) {
            for (Event e : b.events()) {
                producer.send(traced.isEmpty() ? EventRecords.of(eventsTopic, e) : EventRecords.of(eventsTopic, e, traced::get));
            }
        }
        long resumeAt = copies.lowestPendingOffset().orElse(c.position(partition));
        producer.sendOffsetsToTransaction(Map.of(partition,
                new OffsetAndMetadata(resumeAt, NEXT_HEIGHT + (last.header().height() + 1))), c.groupMetadata());
        producer.commitTransaction();
        // Kept until committed, so a block built again after an aborted transaction still carries them.
        traces.forget(ids);
        step("commit", System.nanoTime() - t3);
        lastAnchoredHeight = last.header().height();
        status.succeeded(0);
        long now = System.currentTimeMillis();
        long nowNanos = System.nanoTime();
        for (Built b : built) {
            try (LogContext ignored = LogContext.block(b.block().header().height())) {
                committed(b, now, nowNanos);
            }
        }
    }

    private Built build(LeafBatchReader reader, BlockCopies.Gathered g) {
        long t0 = System.nanoTime();
        step("gather", t0 - g.firstSeenNanos());
        BlockBook.Block fact = blocks.record(g.header(), g.checkpoint());
        BlockCopies.Gathered merged = new BlockCopies.Gathered(g.message(), g.header(), fact.checkpoint(), g.signatures(),
                g.firstOffset(), g.firstPublishedMillis(), g.firstSeenNanos());
        List<Long> offsets = g.message().batches().stream().map(BlockMessage.Batch::offset).toList();
        Map<Long, LeafBatchReader.ReadBatch> batches = new HashMap<>(published.take(offsets));
        if (batches.size() < offsets.size()) {
            batches.putAll(reader.read(offsets.stream().filter(o -> !batches.containsKey(o)).toList(), Duration.ofSeconds(30)));
        }
        List<AnchoredRecord> anchored = ReceiptFactory.anchored(g.message(), batches);
        long t1 = System.nanoTime();
        step("leaves", t1 - t0);
        Optional<byte[]> token = anchored.isEmpty() ? Optional.empty() : token(g);
        long t2 = System.nanoTime();
        step("timestamp", t2 - t1);
        WitnessEvidenceReader.Outcome witnessing = anchored.isEmpty() ? null : witnesses.evidence(g.header().treeSize(), g.firstSeenNanos());
        long tw = System.nanoTime();
        step("witnesses", tw - t2);
        int want = expected();
        List<Event> events = receipts.events(merged, anchored, want, token, witnessing);
        step("receipts", System.nanoTime() - tw);
        return new Built(g, anchored, events, want, t0);
    }

    /** Counts a committed block and its records' latency, hop by hop. */
    private void committed(Built b, long now, long nowNanos) {
        BlockCopies.Gathered g = b.block();
        anchoredEvents.increment(b.events().size());
        if (g.signatures() < b.expected()) {
            unsigned.increment();
            LOG.warnf("block %d anchored with %d of %d replica signatures after waiting %s", g.header().height(),
                    g.signatures(), b.expected(), signatureWait);
        }
        long seen = now - (nowNanos - g.firstSeenNanos()) / 1_000_000;
        long released = now - (nowNanos - b.releasedNanos()) / 1_000_000;
        long cut = g.header().timeMillis();
        for (AnchoredRecord a : b.anchored()) {
            latency.record(Duration.ofMillis(Math.max(0, now - a.record().acceptedAtMillis())));
            hops.record(RecordHops.Hop.SEALING, a.batchedAtMillis(), cut);
            hops.record(RecordHops.Hop.SIGNING, cut, g.firstPublishedMillis());
            hops.record(RecordHops.Hop.PICKUP, g.firstPublishedMillis(), seen);
            hops.record(RecordHops.Hop.GATHER, seen, released);
            hops.record(RecordHops.Hop.RECEIPTS, released, now);
        }
    }

    private void step(String name, long nanos) {
        steps.computeIfAbsent(name, n -> Timer.builder("tracemark.attest.anchoring.step").tag("step", n)
                .description("time a sealed block spends in each step of anchoring: gather (waiting for replica copies),"
                        + " leaves (reading its leaf batches back), timestamp (waiting for its RFC 3161 token),"
                        + " witnesses (waiting for witness evidence), receipts (building them), commit (the Kafka transaction)")
                .publishPercentileHistogram().register(meters)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** The block checkpoint's RFC 3161 token, waiting for it up to {@code timestamp-wait} after the block arrived. */
    private Optional<byte[]> token(BlockCopies.Gathered g) {
        long deadline = g.firstSeenNanos() + timestampWait.toNanos();
        while (true) {
            Optional<byte[]> t = chain.timestamp(g.header().treeSize());
            if (t.isPresent() || System.nanoTime() > deadline) {
                if (t.isEmpty()) {
                    LOG.warnf("block %d anchored without an RFC 3161 token: none issued within %s", g.header().height(),
                            timestampWait);
                }
                return t;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /**
     * Replica signatures a complete checkpoint carries: configured ({@code expected-signatures}, what production
     * and the local stack set), or else the larger of the keys the log publishes at {@code /v1/keys} (which a
     * replica learns by trust on first use, so it may lag at start-up) and the replicas seen publishing blocks
     * in the last ten minutes.
     */
    private int expected() {
        if (configuredSignatures > 0) {
            return configuredSignatures;
        }
        long now = System.nanoTime();
        if (expectedAt == 0 || now - expectedAt > Duration.ofSeconds(10).toNanos()) {
            try {
                expected = Math.max(1, chain.verifierKeys().size());
            } catch (RuntimeException e) {
                LOG.debugf("chain-node keys unavailable, expecting %d signatures: %s", expected, e.toString());
            }
            expectedAt = now;
            recentSigners.values().removeIf(seen -> now - seen > Duration.ofMinutes(10).toNanos());
        }
        return Math.max(expected, recentSigners.size());
    }

    /** Replicas that published a block copy within {@code late-signature-wait}: alive, if perhaps behind. */
    private int liveSigners(long now) {
        long window = lateSignatureWait.toNanos();
        int live = 0;
        for (long seen : recentSigners.values()) {
            if (now - seen < window) {
                live++;
            }
        }
        return live;
    }

    private long backoff(RuntimeException ex, long backoff) {
        try {
            return failures.failed(ex, backoff);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            running = false;
            return backoff;
        }
    }
}
