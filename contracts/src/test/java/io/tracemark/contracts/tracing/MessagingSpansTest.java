package io.tracemark.contracts.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessagingSpansTest {
    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider tracing = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported)).build();

    private static SpanContext context(int i) {
        return SpanContext.createFromRemoteParent(String.format("%032x", 0x1000 + i), String.format("%016x", 0x2000 + i),
                TraceFlags.getSampled(), TraceState.getDefault());
    }

    private SpanData end(io.opentelemetry.api.trace.SpanBuilder b) {
        b.startSpan().end();
        return exported.getFinishedSpanItems().get(exported.getFinishedSpanItems().size() - 1);
    }

    @Test
    void aMessagingSpanIsNamedByOperationAndTopicWithTheSemanticConventionsAttributes() {
        SpanData s = end(MessagingSpans.builder(tracing.get("test"), "send", MessagingSpans.SEND, SpanKind.PRODUCER,
                "tracemark.chain.leaves"));
        assertEquals("send tracemark.chain.leaves", s.getName());
        assertEquals(SpanKind.PRODUCER, s.getKind());
        assertEquals("kafka", s.getAttributes().get(MessagingSpans.SYSTEM));
        assertEquals("tracemark.chain.leaves", s.getAttributes().get(MessagingSpans.DESTINATION));
        assertEquals("send", s.getAttributes().get(MessagingSpans.OPERATION_TYPE));
    }

    @Test
    void aSpanLinksAtMostTheBoundAndSaysHowManyContextsItLeftUnlinked() {
        List<SpanContext> gathered = IntStream.range(0, 10).mapToObj(MessagingSpansTest::context).toList();
        SpanData s = end(MessagingSpans.link(tracing.get("test").spanBuilder("batch"), gathered, c -> c, 4));
        assertEquals(gathered.subList(0, 4), s.getLinks().stream().map(LinkData::getSpanContext).toList());
        assertEquals(true, s.getAttributes().get(MessagingSpans.LINKS_TRUNCATED));
        assertEquals(6L, s.getAttributes().get(MessagingSpans.LINKS_UNLINKED));
    }

    @Test
    void aSpanWithinTheBoundLinksEachDistinctValidContextOnceAndSaysNothingOfTruncation() {
        List<SpanContext> gathered = new ArrayList<>(List.of(context(1), context(2), context(1), SpanContext.getInvalid()));
        gathered.add(null);
        SpanData s = end(MessagingSpans.link(tracing.get("test").spanBuilder("batch"), gathered, c -> c, 128));
        assertEquals(List.of(context(1), context(2)), s.getLinks().stream().map(LinkData::getSpanContext).toList());
        assertNull(s.getAttributes().get(MessagingSpans.LINKS_TRUNCATED));
    }

    @Test
    void traceHeadersCarryASpansContextThroughAKafkaStyleCarrierAndBack() {
        Span span = tracing.get("test").spanBuilder("seal").startSpan();
        Map<String, byte[]> headers = new HashMap<>();
        TraceHeaders.inject(W3CTraceContextPropagator.getInstance(), Context.root().with(span), headers::put);
        span.end();
        String traceparent = new String(headers.get(TraceHeaders.TRACEPARENT), StandardCharsets.UTF_8);
        assertTrue(traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), traceparent);
        assertEquals("00-" + span.getSpanContext().getTraceId() + "-" + span.getSpanContext().getSpanId() + "-01", traceparent);
        SpanContext back = Span.fromContext(TraceHeaders.extract(W3CTraceContextPropagator.getInstance(), Context.root(),
                headers::get)).getSpanContext();
        assertEquals(span.getSpanContext().getTraceId(), back.getTraceId());
        assertEquals(span.getSpanContext().getSpanId(), back.getSpanId());
        assertTrue(back.isRemote());
    }

    @Test
    void aMalformedOrAllZeroTraceparentIsNoContext() {
        for (String bad : new String[] {"garbage", "00-00000000000000000000000000000000-0000000000000001-01",
                "00-0000000000000000000000000000000a-0000000000000000-01"}) {
            assertFalse(TraceHeaders.parse(bad.getBytes(StandardCharsets.US_ASCII), null).isValid(), bad);
        }
        assertFalse(TraceHeaders.parse(null, null).isValid());
        SpanContext good = TraceHeaders.parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
                .getBytes(StandardCharsets.US_ASCII), "congo=t61rcWkgMzE".getBytes(StandardCharsets.US_ASCII));
        assertEquals("0af7651916cd43dd8448eb211c80319c", good.getTraceId());
        assertEquals("t61rcWkgMzE", good.getTraceState().get("congo"));
    }
}
