package io.tracemark.attest.events;

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
import io.tracemark.attest.tracing.PipelineSpans;
import io.tracemark.attest.tracing.RecordTraces;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.blocks.BlockMessage;
import io.tracemark.contracts.blocks.BlockMessageCodec;
import io.tracemark.contracts.events.Event;
import io.tracemark.edge.kafka.ConsumerLoop;
import io.tracemark.edge.logging.LogContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The exactly-once step from sealed blocks to {@code record.anchored} events. It follows
 * {@code tracemark.chain.blocks} (one partition; every chain-node replica publishes its own copy of each
 * block), gathers each block's copies until its checkpoint carries every replica's signature or
 * {@code tracemark.attest.receipt.signature-wait} has passed ({@link BlockCopies}, {@link ReplicaSigners}), has
 * each block's events built ({@link BlockEvents}) and publishes them in one Kafka transaction with the consumer's
 * offset. The offset's metadata carries the next height to anchor, so a replay after a crash skips copies of
 * blocks already anchored: each record gets one {@code record.anchored}, with the same id and body every time it
 * is built. A failed step is aborted and retried with backoff ({@link StepFailures}) on the shared
 * {@link ConsumerLoop}.
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
    @ConfigProperty(name = "tracemark.attest.receipt.expected-signatures", defaultValue = "0")
    int configuredSignatures;
    @ConfigProperty(name = "tracemark.attest.anchoring.max-backoff", defaultValue = "10s")
    Duration maxBackoff;
    @ConfigProperty(name = "tracemark.attest.anchoring.max-leaves-per-commit", defaultValue = "5000")
    long maxLeavesPerCommit;
    @Inject
    BlockBook blocks;
    @Inject
    BlockEvents builder;
    @Inject
    AnchoringMetrics metrics;
    @Inject
    ChainNodeClient chain;
    @Inject
    MeterRegistry meters;
    @Inject
    RecordTraces traces;
    @Inject
    PipelineSpans spans;

    private final StageStatus status = new StageStatus();
    private ConsumerLoop loop;
    private volatile long lastAnchoredHeight = -1;
    // The loop thread's state: its clients, the copies gathered, and whether it is back at the committed position.
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    private LeafBatchReader reader;
    private BlockCopies copies = new BlockCopies(-1);
    private TopicPartition partition;
    private ReplicaSigners signers;
    private boolean rewound = true;

    void start(@Observes StartupEvent e) {
        partition = new TopicPartition(blocksTopic, 0);
        signers = new ReplicaSigners(chain, configuredSignatures, lateSignatureWait);
        loop = new ConsumerLoop("attest-anchoring", new StepFailures("anchoring", status, meters).retries(maxBackoff));
        loop.start(this::step, this::close);
    }

    void stop(@Observes ShutdownEvent e) {
        loop.stop(Duration.ofSeconds(10));
    }

    /** The step's health, for readiness. */
    public StageStatus status() {
        return status;
    }

    /** Height of the last block whose events were committed, or -1. */
    public long lastAnchoredHeight() {
        return lastAnchoredHeight;
    }

    /** One poll, then every block ready by now anchored; a failure aborts the transaction and rewinds. */
    private void step() {
        if (consumer == null) {
            open();
        }
        try {
            // After a failure the gathered copies may be past a block whose events were never committed (it was
            // released, then its transaction failed): nothing is anchored until the consumer is back at the
            // committed position and height. Retrying that alone would skip the block for ever if the committed
            // offset cannot be read at once (Kafka down too), which the fault suite caught.
            if (!rewound) {
                resume();
                rewound = true;
            }
            if (producer == null) {
                producer = KafkaClients.transactional(bootstrap, "anchoring", instanceId);
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                add(r);
            }
            List<BlockCopies.Gathered> ready;
            while (!(ready = releaseReady()).isEmpty()) {
                anchor(ready);
            }
        } catch (WakeupException w) {
            throw w;
        } catch (RuntimeException ex) {
            rewound = false;
            StepFailures.abortQuietly(producer);
            if (ex instanceof KafkaException) {
                producer = StepFailures.closeQuietly(producer);
            }
            throw ex;
        }
    }

    private void open() {
        if (reader == null) {
            reader = new LeafBatchReader(bootstrap, leavesTopic);
        }
        consumer = loop.watch(KafkaClients.consumer(bootstrap, groupId, "attest-anchoring", 1000));
        consumer.subscribe(List.of(blocksTopic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                copies = new BlockCopies(-1);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                resume();
            }
        });
    }

    private void close() {
        producer = StepFailures.closeQuietly(producer);
        try {
            if (consumer != null) {
                consumer.close(Duration.ofSeconds(5));
            }
            if (reader != null) {
                reader.close();
            }
        } catch (RuntimeException ignored) {
            // Leaving the group late only delays the partition's move to another replica.
        } finally {
            status.stopped();
        }
    }

    /** Goes back to the committed position and the next height stored with it. */
    private void resume() {
        if (!consumer.assignment().contains(partition)) {
            return;
        }
        OffsetAndMetadata committed = consumer.committed(Set.of(partition), Duration.ofSeconds(10)).get(partition);
        long next = -1;
        if (committed != null) {
            consumer.seek(partition, committed.offset());
            String meta = committed.metadata();
            if (meta != null && meta.startsWith(NEXT_HEIGHT)) {
                next = Long.parseLong(meta.substring(NEXT_HEIGHT.length()));
            }
        } else {
            consumer.seekToBeginning(Set.of(partition));
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
            signers.seen(m.signer());
        }
        long height = m.header().height();
        if (height < copies.nextHeight()) {
            // A late replica's copy of a block already anchored (it was down or slow past signature-wait, and
            // publishes its copies as it catches up): its signature still joins the per-block fact, which the
            // receipts verify serves are built from.
            blocks.addSignatures(BlockBook.header(m.header()), m.checkpoint());
            return;
        }
        copies.add(m, r.offset(), r.timestamp(), System.nanoTime(), spans.carried(r));
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
        while (leaves < maxLeavesPerCommit && (g = copies.release(signers.expected(), signatureWait.toNanos(),
                lateSignatureWait.toNanos(), signers.live(System.nanoTime()), System.nanoTime())).isPresent()) {
            out.add(g.get());
            leaves += g.get().header().leafCount();
        }
        return out;
    }

    /**
     * Builds the events of {@code ready} blocks and commits them in one transaction with the consumer's position, each
     * block in a span linked to its copies' seal spans (the records' events keep their own traces).
     */
    private void anchor(List<BlockCopies.Gathered> ready) {
        List<Span> receiptSpans = new ArrayList<>(ready.size());
        try {
            anchor(ready, receiptSpans);
        } catch (RuntimeException ex) {
            PipelineSpans.end(receiptSpans, ex);
            throw ex;
        }
        PipelineSpans.end(receiptSpans, null);
    }

    private void anchor(List<BlockCopies.Gathered> ready, List<Span> receiptSpans) {
        List<BlockEvents.Built> built = new ArrayList<>(ready.size());
        for (BlockCopies.Gathered g : ready) {
            receiptSpans.add(spans.receipts(blocksTopic, g.header().height(), g.copies(), g.seals()));
            try (LogContext ignored = LogContext.block(g.header().height())) {
                built.add(builder.build(reader, g, signers.expected()));
            }
        }
        long t3 = System.nanoTime();
        List<String> ids = new ArrayList<>();
        built.forEach(b -> b.anchored().forEach(a -> ids.add(a.record().recordId())));
        Map<String, byte[]> traced = traces.of(ids);
        BlockCopies.Gathered last = ready.get(ready.size() - 1);
        producer.beginTransaction();
        for (BlockEvents.Built b : built) {
            for (Event e : b.events()) {
                producer.send(traced.isEmpty() ? EventRecords.of(eventsTopic, e) : EventRecords.of(eventsTopic, e, traced::get));
            }
        }
        long resumeAt = copies.lowestPendingOffset().orElse(consumer.position(partition));
        producer.sendOffsetsToTransaction(Map.of(partition,
                new OffsetAndMetadata(resumeAt, NEXT_HEIGHT + (last.header().height() + 1))), consumer.groupMetadata());
        producer.commitTransaction();
        // Kept until committed, so a block built again after an aborted transaction still carries them.
        traces.forget(ids);
        metrics.step("commit", System.nanoTime() - t3);
        lastAnchoredHeight = last.header().height();
        status.succeeded(0);
        long now = System.currentTimeMillis();
        long nowNanos = System.nanoTime();
        for (BlockEvents.Built b : built) {
            try (LogContext ignored = LogContext.block(b.block().header().height())) {
                metrics.committed(b, now, nowNanos, signatureWait);
            }
        }
    }
}
