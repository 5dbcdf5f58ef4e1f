package io.tracemark.attest.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.tracemark.contracts.tracing.MessagingSpans;
import io.tracemark.contracts.tracing.TraceHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Map;

/**
 * The spans of the steps that gather many records into one Kafka message or one block (OpenTelemetry semantic
 * conventions for messaging; docs/anchoring.md "Tracing"): the ledger step's PRODUCER span per leaf batch, whose
 * W3C {@code traceparent} goes on the batch for the chain node, and the anchoring step's CONSUMER span per block,
 * which builds its receipts. W3C Trace Context gives a span one parent, so each links to what it gathers (the
 * records' contexts; the seal span of every replica's copy of the block), at most
 * {@code tracemark.attest.tracing.max-links} links a span. The records' own events keep following their own traces
 * ({@link RecordTraces}).
 */
@ApplicationScoped
public class PipelineSpans {
    /** Height of the block a span anchors. */
    public static final AttributeKey<Long> BLOCK_HEIGHT = AttributeKey.longKey("tracemark.block.height");
    private static final String SCOPE = "io.tracemark.attest";

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final int maxLinks;

    /** Spans through the application's {@code otel}, each linking at most {@code maxLinks} contexts. */
    public PipelineSpans(OpenTelemetry otel,
                         @ConfigProperty(name = "tracemark.attest.tracing.max-links", defaultValue = "128") int maxLinks) {
        this.tracer = otel.getTracer(SCOPE);
        this.propagator = otel.getPropagators().getTextMapPropagator();
        this.maxLinks = maxLinks;
    }

    /**
     * Starts the PRODUCER span of a leaf batch on {@code topic} that gathers the records {@code recordIds}, linked to
     * the contexts their anchor requests carried ({@code traceparents} by record id, as {@link RecordTraces#carried}).
     */
    public Span leafBatch(String topic, List<String> recordIds, Map<String, byte[]> traceparents) {
        SpanBuilder b = MessagingSpans.builder(tracer, MessagingSpans.SEND, MessagingSpans.SEND, SpanKind.PRODUCER, topic)
                .setNoParent().setAttribute(MessagingSpans.BATCH_MESSAGE_COUNT, (long) recordIds.size());
        return MessagingSpans.link(b, recordIds, id -> TraceHeaders.parse(traceparents.get(id), null), maxLinks).startSpan();
    }

    /** Writes {@code span}'s context into a produced message's headers ({@code traceparent}, {@code tracestate} if any). */
    public void inject(Span span, Headers headers) {
        TraceHeaders.inject(propagator, Context.root().with(span), headers::add);
    }

    /** The span context a consumed message's trace headers carry; invalid if none. */
    public SpanContext carried(ConsumerRecord<?, ?> r) {
        return Span.fromContext(TraceHeaders.extract(propagator, Context.root(), name -> {
            Header h = r.headers().lastHeader(name);
            return h == null ? null : h.value();
        })).getSpanContext();
    }

    /**
     * Starts the CONSUMER span that builds block {@code height}'s receipts from the {@code copies} of it read on
     * {@code topic}, linked to each copy's seal span ({@code seals}, one per replica that published one).
     */
    public Span receipts(String topic, long height, int copies, List<SpanContext> seals) {
        SpanBuilder b = MessagingSpans.builder(tracer, MessagingSpans.PROCESS, MessagingSpans.PROCESS, SpanKind.CONSUMER, topic)
                .setNoParent().setAttribute(MessagingSpans.BATCH_MESSAGE_COUNT, (long) copies).setAttribute(BLOCK_HEIGHT, height);
        return MessagingSpans.link(b, seals, c -> c, maxLinks).startSpan();
    }

    /** Ends {@code spans}, as failed with {@code failure} unless it is null. */
    public static void end(List<Span> spans, Throwable failure) {
        for (Span s : spans) {
            if (failure != null) {
                s.recordException(failure);
                s.setStatus(StatusCode.ERROR);
            }
            s.end();
        }
    }
}
