package io.tracemark.attest.ledger;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.attest.intake.AcceptedEvents;
import io.tracemark.attest.intake.IntakeBatch;
import io.tracemark.attest.intake.RecentRecords;
import io.tracemark.attest.kafka.EventRecords;
import io.tracemark.attest.kafka.KafkaClients;
import io.tracemark.attest.kafka.StageStatus;
import io.tracemark.attest.kafka.StepFailures;
import io.tracemark.attest.tracing.PipelineSpans;
import io.tracemark.attest.tracing.RecordHops;
import io.tracemark.attest.tracing.RecordTraces;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.edge.kafka.ConsumerLoop;
import io.tracemark.edge.logging.LogContext;
import io.tracemark.edge.logging.LogFields;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The exactly-once step from anchor requests to the ledger: one Kafka transaction per poll of
 * {@code tracemark.anchor-requests} writes the leaf batches (leaves topic), the {@code record.accepted}
 * events (events topic), the poison (anchor-requests dead-letter topic) and the
 * consumer's offsets. The chain node and every stage after it read {@code read_committed}, so a crash at any
 * point either publishes all of it once or none of it, and the poll is read again: no store bookkeeping.
 * A request republished by ingest is dropped here if seen lately, and in any case the ledger appends a digest
 * only once.
 *
 * <p>Failures of the infrastructure (Kafka, MongoDB for the claim lookups) abort the transaction and the
 * poll is retried with capped backoff ({@link StepFailures}, on the shared {@link ConsumerLoop}), for as long as
 * the outage lasts: the requests wait in Kafka; they are counted, logged on the first failure of a run with the stack
 * trace, and shown by readiness ({@link #status()}). A message that breaks the contract is never retried:
 * it is parked on the dead-letter topic with its reason.
 */
@ApplicationScoped
public class LeafLoop {
    private static final Logger LOG = Logger.getLogger(LeafLoop.class);
    /** Dead-letter headers: the reason's code, its text, and where the message was read. */
    public static final String PROBLEM_CODE_HEADER = "tracemark-problem-code";
    public static final String PROBLEM_HEADER = "tracemark-problem";
    public static final String SOURCE_HEADER = "tracemark-source";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "tracemark.attest.instance-id")
    String instanceId;
    @ConfigProperty(name = "tracemark.topics.anchor-requests")
    String requestsTopic;
    @ConfigProperty(name = "tracemark.topics.anchor-requests-dlq", defaultValue = "tracemark.anchor-requests.dlq")
    String dlqTopic;
    @ConfigProperty(name = "tracemark.topics.chain-leaves")
    String leavesTopic;
    @ConfigProperty(name = "tracemark.topics.events")
    String eventsTopic;
    @ConfigProperty(name = "tracemark.attest.intake.group-id", defaultValue = "tracemark-attest")
    String groupId;
    @ConfigProperty(name = "tracemark.attest.max-leaves-per-batch", defaultValue = "4096")
    int maxLeaves;
    @ConfigProperty(name = "tracemark.attest.intake.max-poll-records", defaultValue = "5000")
    int maxPoll;
    @ConfigProperty(name = "tracemark.attest.intake.recent-records", defaultValue = "1000000")
    int recentCapacity;
    @ConfigProperty(name = "tracemark.attest.intake.max-backoff", defaultValue = "10s")
    Duration maxBackoff;
    @Inject
    PendingContent content;
    @Inject
    PublishedBatches published;
    @Inject
    RecordTraces traces;
    @Inject
    RecordHops hops;
    @Inject
    PipelineSpans spans;
    @Inject
    MeterRegistry meters;

    private final StageStatus status = new StageStatus();
    private RecentRecords recent;
    private RequestMetrics counters;
    private ConsumerLoop loop;
    /** The loop thread's clients; made on its first step and again after a failure broke them. */
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;

    void start(@Observes StartupEvent e) {
        recent = new RecentRecords(recentCapacity);
        counters = new RequestMetrics(meters);
        loop = new ConsumerLoop("attest-ledger", new StepFailures("ledger", status, meters).retries(maxBackoff));
        loop.start(this::step, this::close);
    }

    /** The step's health, for readiness. */
    public StageStatus status() {
        return status;
    }

    void stop(@Observes ShutdownEvent e) {
        loop.stop(Duration.ofSeconds(10));
    }

    /** One poll, and its transaction if it brought anything; a failure aborts it and rewinds for the retry. */
    private void step() {
        if (consumer == null) {
            consumer = loop.watch(KafkaClients.consumer(bootstrap, groupId, "attest-ledger", maxPoll));
            consumer.subscribe(List.of(requestsTopic));
        }
        ConsumerRecords<byte[], byte[]> polled;
        try {
            if (producer == null) {
                producer = KafkaClients.transactional(bootstrap, "ledger", instanceId);
            }
            polled = consumer.poll(Duration.ofMillis(100));
        } catch (KafkaException ex) {
            if (!(ex instanceof WakeupException)) {
                producer = StepFailures.closeQuietly(producer);
            }
            throw ex;
        }
        if (polled.isEmpty()) {
            return;
        }
        try {
            commit(consumer, producer, polled);
        } catch (RuntimeException ex) {
            StepFailures.abortQuietly(producer);
            if (ex instanceof WakeupException) {
                throw ex;
            }
            if (ex instanceof ProducerFencedException || ex instanceof AuthorizationException
                    || ex instanceof IllegalStateException && ex.getMessage() != null && ex.getMessage().contains("transaction")) {
                producer = StepFailures.closeQuietly(producer);
            }
            rewind(consumer, polled);
            throw ex;
        }
    }

    private void close() {
        producer = StepFailures.closeQuietly(producer);
        if (consumer != null) {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException ignored) {
                // Leaving the group late only delays the partitions' move to another replica.
            }
        }
        status.stopped();
    }

    /** Publishes one poll's leaves, events and dead letters and commits its offsets, atomically. */
    private void commit(KafkaConsumer<byte[], byte[]> c, KafkaProducer<byte[], byte[]> producer,
                        ConsumerRecords<byte[], byte[]> polled) {
        IntakeBatch batch = IntakeBatch.of(polled, recent);
        // Before the leaves can be sealed, so the anchoring step finds their content; an aborted attempt leaves
        // entries the retry offers again (kept once) or the cache bound evicts.
        content.offer(batch.fresh());
        Map<String, byte[]> carried = RecordTraces.carried(polled);
        producer.beginTransaction();
        List<List<AnchorRequest>> split = LeafBatches.split(batch.fresh(), maxLeaves);
        List<LeafBatchReader.ReadBatch> leafBatches = new ArrayList<>(split.size());
        List<Future<RecordMetadata>> sent = new ArrayList<>(split.size());
        // One producer span a batch, ended once its transaction is over: its context rides on the batch to the chain node.
        List<Span> batchSpans = new ArrayList<>(split.size());
        try {
            for (List<AnchorRequest> leaves : split) {
                LeafBatchReader.ReadBatch b = LeafBatches.batch(leaves);
                leafBatches.add(b);
                Span span = spans.leafBatch(leavesTopic, leaves.stream().map(AnchorRequest::recordId).toList(), carried);
                batchSpans.add(span);
                ProducerRecord<byte[], byte[]> record = LeafBatches.record(leavesTopic, b);
                spans.inject(span, record.headers());
                sent.add(producer.send(record));
            }
            Map<String, byte[]> traced = traces.offer(carried);
            for (AnchorRequest a : batch.fresh()) {
                producer.send(EventRecords.of(eventsTopic, AcceptedEvents.of(a), traced.get(a.recordId())));
            }
            for (IntakeBatch.Poison p : batch.poison()) {
                producer.send(deadLetter(p));
            }
            producer.sendOffsetsToTransaction(nextOffsets(polled), c.groupMetadata());
            producer.commitTransaction();
        } catch (RuntimeException ex) {
            PipelineSpans.end(batchSpans, ex);
            throw ex;
        }
        PipelineSpans.end(batchSpans, null);
        offerCommitted(leafBatches, sent);
        long committed = System.currentTimeMillis();
        for (int i = 0; i < batch.fresh().size(); i++) {
            long requested = batch.requestedAt().get(i);
            hops.record(RecordHops.Hop.REQUEST, batch.fresh().get(i).acceptedAt().toEpochMilli(), requested);
            hops.record(RecordHops.Hop.LEDGER, requested, committed);
        }
        for (IntakeBatch.Poison p : batch.poison()) {
            IntakeBatch.About about = p.about();
            try (LogContext ignored = LogContext.record(about.recordId(), about.tenant(), about.traceparent())
                    .put(LogFields.KAFKA_POSITION, p.source())) {
                // Once per message: it never comes back, the dead-letter topic keeps it.
                LOG.errorf("anchor request %s dead-lettered to %s: %s (%s)", p.source(), dlqTopic, p.reason(), p.code());
            }
        }
        recent.addAll(batch.fresh().stream().map(AnchorRequest::recordId).toList());
        counters.committed(batch, split.size());
        status.succeeded(batch.poison().size());
    }

    /** Hands the committed batches to the anchoring step in memory (the sends completed with the commit). */
    private void offerCommitted(List<LeafBatchReader.ReadBatch> leafBatches, List<Future<RecordMetadata>> sent) {
        for (int i = 0; i < sent.size(); i++) {
            try {
                RecordMetadata md = sent.get(i).get();
                LeafBatchReader.ReadBatch b = leafBatches.get(i);
                published.offer(md.offset(), new LeafBatchReader.ReadBatch(b.records(), b.digests(), md.timestamp()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                // Cannot happen after a successful commit; the anchoring step then reads the batch from the topic.
                LOG.debugf("leaf batch offset unknown after commit: %s", e.getCause());
            }
        }
    }

    private ProducerRecord<byte[], byte[]> deadLetter(IntakeBatch.Poison p) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(dlqTopic, p.key(), p.value());
        r.headers().add(PROBLEM_CODE_HEADER, p.code().getBytes(StandardCharsets.UTF_8));
        r.headers().add(PROBLEM_HEADER, p.reason().getBytes(StandardCharsets.UTF_8));
        r.headers().add(SOURCE_HEADER, p.source().getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> polled) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (TopicPartition tp : polled.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> rs = polled.records(tp);
            out.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
        }
        return out;
    }

    /** Moves the consumer back to the start of a poll whose transaction was aborted, so it is read again. */
    private static void rewind(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> polled) {
        for (TopicPartition tp : polled.partitions()) {
            if (c.assignment().contains(tp)) {
                c.seek(tp, polled.records(tp).get(0).offset());
            }
        }
    }
}
