package io.tracemark.contracts.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The W3C Trace Context headers ({@code traceparent}, {@code tracestate}; W3C Trace Context §3) that leaf batches
 * on {@code tracemark.chain.leaves} and block messages on {@code tracemark.chain.blocks} carry as Kafka headers.
 * They sit beside the message value and never change its bytes, which replicas compare. Kafka-free: a message's
 * headers are read through a lookup by name and written through a setter, so both ends share one carrier.
 */
public final class TraceHeaders {
    /** The W3C Trace Context §3.2 header. */
    public static final String TRACEPARENT = "traceparent";
    /** The W3C Trace Context §3.3 header. */
    public static final String TRACESTATE = "tracestate";

    private static final TextMapGetter<Function<String, byte[]>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, byte[]> carrier) {
            return List.of(TRACEPARENT, TRACESTATE);
        }

        @Override
        public String get(Function<String, byte[]> carrier, String key) {
            byte[] v = carrier == null ? null : carrier.apply(key);
            return v == null ? null : new String(v, StandardCharsets.UTF_8);
        }
    };

    private TraceHeaders() {
    }

    /** The context {@code header} (last value by name, or null) carries, on top of {@code parent}; {@code parent} if none. */
    public static Context extract(TextMapPropagator propagator, Context parent, Function<String, byte[]> header) {
        return propagator.extract(parent, header, GETTER);
    }

    /** Writes {@code context}'s span context as headers through {@code header}; nothing for an invalid one. */
    public static void inject(TextMapPropagator propagator, Context context, BiConsumer<String, byte[]> header) {
        propagator.inject(context, header, (h, k, v) -> h.accept(k, v.getBytes(StandardCharsets.UTF_8)));
    }

    /** The remote span context a W3C {@code traceparent} value (and {@code tracestate}, may be null) names; invalid if malformed. */
    public static SpanContext parse(byte[] traceparent, byte[] tracestate) {
        if (traceparent == null) {
            return SpanContext.getInvalid();
        }
        Context c = extract(W3CTraceContextPropagator.getInstance(), Context.root(),
                name -> TRACEPARENT.equals(name) ? traceparent : TRACESTATE.equals(name) ? tracestate : null);
        return Span.fromContext(c).getSpanContext();
    }
}
