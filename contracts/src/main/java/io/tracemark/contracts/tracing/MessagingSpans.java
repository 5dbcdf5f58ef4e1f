package io.tracemark.contracts.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Spans of the Kafka messages that gather many records' work into one (a leaf batch, a block), shaped by the
 * OpenTelemetry semantic conventions for messaging spans: kind, {@code messaging.*} attributes, a name of
 * {@code {operation} {destination}}, and links to the contexts of what the message gathers, because W3C Trace
 * Context gives a span one parent. Links are bounded; a span that could not link them all says so
 * ({@link #LINKS_TRUNCATED}, {@link #LINKS_UNLINKED}).
 */
public final class MessagingSpans {
    /** Semconv {@code messaging.system}; always {@code kafka} here. */
    public static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    /** Semconv {@code messaging.destination.name}: the topic. */
    public static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    /** Semconv {@code messaging.destination.partition.id}. */
    public static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    /** Semconv {@code messaging.operation.name}: the system's name of the operation. */
    public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    /** Semconv {@code messaging.operation.type}: {@code send} or {@code process}. */
    public static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    /** Semconv {@code messaging.batch.message_count}: the messages the operation gathers or handles. */
    public static final AttributeKey<Long> BATCH_MESSAGE_COUNT = AttributeKey.longKey("messaging.batch.message_count");
    /** Semconv {@code messaging.kafka.offset}. */
    public static final AttributeKey<Long> KAFKA_OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    /** Set (true) when more contexts were gathered than the span links. */
    public static final AttributeKey<Boolean> LINKS_TRUNCATED = AttributeKey.booleanKey("tracemark.links.truncated");
    /** How many gathered contexts past the bound were not linked. */
    public static final AttributeKey<Long> LINKS_UNLINKED = AttributeKey.longKey("tracemark.links.unlinked");
    /** Semconv operation type of a span that publishes a message. */
    public static final String SEND = "send";
    /** Semconv operation type of a span that handles a consumed message. */
    public static final String PROCESS = "process";

    private MessagingSpans() {
    }

    /** A Kafka messaging span named {@code {operation} {topic}}; {@code type} is {@link #SEND} or {@link #PROCESS}. */
    public static SpanBuilder builder(Tracer tracer, String operation, String type, SpanKind kind, String topic) {
        return tracer.spanBuilder(operation + " " + topic).setSpanKind(kind).setAttribute(SYSTEM, "kafka")
                .setAttribute(DESTINATION, topic).setAttribute(OPERATION_NAME, operation).setAttribute(OPERATION_TYPE, type);
    }

    /**
     * Links {@code builder} to the valid contexts of {@code sources} ({@code context} reads one, lazily), each
     * distinct context once, at most {@code max} of them; sources past the bound are counted, not read.
     */
    public static <T> SpanBuilder link(SpanBuilder builder, List<T> sources, Function<T, SpanContext> context, int max) {
        Set<SpanContext> linked = new HashSet<>();
        int i = 0;
        for (; i < sources.size() && linked.size() < max; i++) {
            SpanContext c = context.apply(sources.get(i));
            if (c != null && c.isValid() && linked.add(c)) {
                builder.addLink(c);
            }
        }
        if (i < sources.size()) {
            builder.setAttribute(LINKS_TRUNCATED, true).setAttribute(LINKS_UNLINKED, (long) (sources.size() - i));
        }
        return builder;
    }
}
