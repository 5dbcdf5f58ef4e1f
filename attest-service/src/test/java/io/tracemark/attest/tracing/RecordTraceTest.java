package io.tracemark.attest.tracing;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.attest.AttestTestResource;
import io.tracemark.attest.Pipeline;
import io.tracemark.attest.Receiver;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.events.EventCodec;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A record's W3C trace, as ingest put it on the anchor request, is carried by the events attest publishes about the
 * record and by their webhook deliveries, and attest's own consumers of those events (webhooks, claims) continue it:
 * their spans, read from the OpenTelemetry SDK's in-memory exporter, belong to the record's trace.
 */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(AttestTestResource.class)
class RecordTraceTest {
    @Inject
    InMemorySpanExporter spans;
    @Inject
    ApiKeyStore keys;

    private static String randomHex(int bytes) {
        return HexFormat.of().formatHex(UUID.randomUUID().toString().replace("-", "").substring(0, bytes)
                .getBytes(StandardCharsets.US_ASCII)).substring(0, bytes * 2);
    }

    @Test
    void recordTraceFromTheAnchorRequestReachesItsEventsTheirConsumersAndWebhookDeliveries() throws Exception {
        String traceId = randomHex(16);
        String traceparent = "00-" + traceId + "-" + randomHex(8) + "-01";
        String tenant = Pipeline.newTenant("trace");
        String apiKey = keys.issue(tenant, Set.of(Role.READ, Role.WRITE)).apiKey();
        try (Receiver rx = new Receiver()) {
            given().header("Authorization", "Bearer " + apiKey).contentType("application/json")
                    .body("{\"url\":\"" + rx.url("/hook") + "\",\"eventTypes\":[\"record.*\"]}")
                    .post("/v1/webhooks").then().statusCode(201);
            AnchorRequest r = Pipeline.request(tenant);
            Pipeline.send(List.of(new Pipeline.Message(Pipeline.ANCHOR_REQUESTS, null, r.recordId(), Pipeline.encode(r),
                    Map.of(RecordTraces.TRACEPARENT, traceparent.getBytes(StandardCharsets.US_ASCII)))));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> Pipeline.anchored(List.of(r.recordId())).containsKey(r.recordId()) && rx.received.size() >= 2);
            rx.received.forEach(d -> assertEquals(traceparent, d.header(RecordTraces.TRACEPARENT),
                    "webhook delivery " + d.header("webhook-id") + " carries the record's trace context"));
            assertEvents(r, traceparent);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> consumerSpans(traceId)
                .stream().map(SpanData::getName).filter(n -> n.contains(Pipeline.EVENTS)).count() >= 2);
    }

    /** The record's accepted and anchored events on the topic carry its trace context. */
    private static void assertEvents(AnchorRequest r, String traceparent) {

        List<ConsumerRecord<byte[], byte[]>> events = Pipeline.readAll(Pipeline.EVENTS).stream()
                .filter(e -> r.recordId().equals(Pipeline.header(e, EventCodec.RECORD_HEADER))).toList();
        assertEquals(Set.of(EventTypes.RECORD_ACCEPTED, EventTypes.RECORD_ANCHORED),
                events.stream().map(e -> Pipeline.header(e, EventCodec.TYPE_HEADER)).collect(Collectors.toSet()));
        events.forEach(e -> assertEquals(traceparent, Pipeline.header(e, RecordTraces.TRACEPARENT),
                Pipeline.header(e, EventCodec.TYPE_HEADER) + " carries the record's trace context"));
    }

    /** Consumer spans of the record's trace that attest ended so far. */
    private List<SpanData> consumerSpans(String traceId) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(traceId) && s.getKind() == SpanKind.CONSUMER).toList();
    }
}
