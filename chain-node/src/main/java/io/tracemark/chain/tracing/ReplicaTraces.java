package io.tracemark.chain.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.tracemark.chain.log.SealedBlock;
import io.tracemark.contracts.tracing.MessagingSpans;
import io.tracemark.contracts.tracing.TraceHeaders;
import io.tracemark.proofs.ledger.LeafBatchCodec;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One replica's spans of its work on the ledger's topics (OpenTelemetry semantic conventions for messaging, W3C
 * Trace Context headers; docs/ledger.md "Tracing"). Each leaf batch applied gets a CONSUMER span
 * {@code process <leaves topic>} whose parent is the context its {@code traceparent} header carries (the batch's
 * producer span in attest). Each block gets a PRODUCER span {@code seal <blocks topic>}, from its cut on the apply
 * thread to the publication of this replica's copy on the sealer thread, linked to the contexts of the block's leaf
 * batches (many parents, which W3C Trace Context does not allow); that span's context goes on the copy as headers.
 * Nothing here enters the leaves, the tree, the block or the message value, so replicas still agree byte for byte,
 * and each replica's copy carries its own seal span. Plain Java: the application's {@link OpenTelemetry} under
 * Quarkus, {@link OpenTelemetry#noop()} elsewhere (then nothing is recorded or held).
 */
public final class ReplicaTraces {
    /** Height of the block a span seals, or that a leaf batch's record cut. */
    public static final AttributeKey<Long> BLOCK_HEIGHT = AttributeKey.longKey("tracemark.block.height");
    /** Leaves a leaf batch carries, or a block appends. */
    public static final AttributeKey<Long> LEAVES = AttributeKey.longKey("tracemark.leaves");
    /** Leaf-batch records a block holds. */
    public static final AttributeKey<Long> LEAF_BATCHES = AttributeKey.longKey("tracemark.block.leaf_batches");
    private static final String SCOPE = "io.tracemark.chain";

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final int maxLinks;
    private final String leavesTopic;
    private final String blocksTopic;
    /** Apply thread only: the context each leaf batch applied since the last cut carried, by offset. */
    private final Map<Long, SpanContext> pendingBatches = new HashMap<>();
    /** Seal spans between the cut (apply thread) and the copy's publication (sealer thread), by height. */
    private final Map<Long, Span> sealing = new ConcurrentHashMap<>();

    /** Spans through {@code otel}, a seal span linking at most {@code maxLinks} leaf batches. */
    public ReplicaTraces(OpenTelemetry otel, int maxLinks, String leavesTopic, String blocksTopic) {
        this.tracer = otel.getTracer(SCOPE);
        this.propagator = otel.getPropagators().getTextMapPropagator();
        this.maxLinks = maxLinks;
        this.leavesTopic = leavesTopic;
        this.blocksTopic = blocksTopic;
    }

    /**
     * Starts the span of applying {@code r} if it is a leaf batch (a seal marker or a malformed record gets none:
     * an invalid span), child of the context its headers carry, and remembers that context for the block's seal span.
     */
    public Span applying(ConsumerRecord<byte[], byte[]> r) {
        long leaves;
        try {
            if (r.value() == null || LeafBatchCodec.type(r.value()) != LeafBatchCodec.LEAVES) {
                return Span.getInvalid();
            }
            leaves = LeafBatchCodec.leafCount(r.value());
        } catch (IllegalArgumentException e) {
            return Span.getInvalid();
        }
        Context carried = TraceHeaders.extract(propagator, Context.root(), name -> {
            Header h = r.headers().lastHeader(name);
            return h == null ? null : h.value();
        });
        SpanContext batch = Span.fromContext(carried).getSpanContext();
        if (batch.isValid()) {
            pendingBatches.put(r.offset(), batch);
        }
        return MessagingSpans.builder(tracer, MessagingSpans.PROCESS, MessagingSpans.PROCESS, SpanKind.CONSUMER, leavesTopic)
                .setParent(carried).setAttribute(MessagingSpans.PARTITION, Integer.toString(r.partition()))
                .setAttribute(MessagingSpans.KAFKA_OFFSET, r.offset()).setAttribute(LEAVES, leaves).startSpan();
    }

    /**
     * On the apply thread, when {@code block} was cut by the record {@code applying} is the span of: starts the block's
     * seal span, linked to the contexts of its leaf batches, and forgets them.
     */
    public void cut(SealedBlock block, Span applying) {
        long height = block.header().height();
        applying.setAttribute(BLOCK_HEIGHT, height);
        SpanBuilder seal = MessagingSpans.builder(tracer, "seal", MessagingSpans.SEND, SpanKind.PRODUCER, blocksTopic)
                .setNoParent().setAttribute(BLOCK_HEIGHT, height).setAttribute(LEAVES, block.header().leafCount())
                .setAttribute(LEAF_BATCHES, (long) block.batches().size());
        MessagingSpans.link(seal, block.batches(), b -> pendingBatches.get(b.offset()), maxLinks);
        pendingBatches.keySet().removeIf(offset -> offset <= block.leavesToOffset());
        Span span = seal.startSpan();
        if (span.getSpanContext().isValid()) {
            sealing.put(height, span);
        }
    }

    /** The seal span of block {@code height} (an invalid one if none was started), handed over to end it. */
    public Span sealing(long height) {
        Span s = sealing.remove(height);
        return s == null ? Span.getInvalid() : s;
    }

    /** The trace-context headers of {@code span}, for its block message; none for an invalid span. */
    public Map<String, byte[]> headers(Span span) {
        Map<String, byte[]> out = new HashMap<>(2);
        if (span.getSpanContext().isValid()) {
            TraceHeaders.inject(propagator, Context.root().with(span), out::put);
        }
        return out;
    }
}
