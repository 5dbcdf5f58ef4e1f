package io.tracemark.attest.tracing;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.attest.AttestTestResource;
import io.tracemark.attest.ChainFixture;
import io.tracemark.attest.Pipeline;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.blocks.BlockMessageCodec;
import io.tracemark.contracts.events.EventCodec;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.contracts.ledger.BatchedRecord;
import io.tracemark.contracts.ledger.LeafBatchRecords;
import io.tracemark.contracts.tracing.MessagingSpans;
import io.tracemark.contracts.tracing.TraceHeaders;
import io.tracemark.proofs.ledger.LeafBatchCodec;
import io.tracemark.testsupport.Traceparents;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The steps that gather records keep their traces reachable (docs/anchoring.md "Tracing"): each leaf batch the
 * ledger step publishes carries the W3C {@code traceparent} of a PRODUCER span linked to its records' contexts, and
 * the anchoring step builds a block's receipts in a span linked to the seal context of every replica's copy, so a
 * record's trace leads, by parent or link, from its anchor request to its receipt.
 */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(AttestTestResource.class)
class AnchoringTraceTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    InMemorySpanExporter spans;

    private static Set<String> links(SpanData s) {
        return s.getLinks().stream().map(LinkData::getSpanContext).map(c -> c.getTraceId() + "-" + c.getSpanId())
                .collect(Collectors.toSet());
    }

    /** The ended span whose {@code traceId-spanId} is {@code ids}, once exported. */
    private SpanData span(String ids) {
        SpanData[] found = new SpanData[1];
        await().atMost(WAIT).until(() -> (found[0] = spans.getFinishedSpanItems().stream()
                .filter(s -> ids.equals(s.getTraceId() + "-" + s.getSpanId())).findFirst().orElse(null)) != null);
        return found[0];
    }

    private static void send(List<AnchorRequest> requests, Map<String, String> traceparents) {
        Pipeline.send(requests.stream().map(r -> new Pipeline.Message(Pipeline.ANCHOR_REQUESTS, 0, r.recordId(),
                Pipeline.encode(r), Optional.ofNullable(traceparents.get(r.recordId()))
                .map(t -> Map.of(TraceHeaders.TRACEPARENT, t.getBytes(StandardCharsets.US_ASCII))).orElse(Map.of()))).toList());
    }

    /** The leaf batch on the leaves topic that holds record {@code recordId}, once published. */
    private static ConsumerRecord<byte[], byte[]> leafBatchOf(String recordId) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (ConsumerRecord<byte[], byte[]> r : Pipeline.readAll(ChainFixture.LEAVES_TOPIC)) {
                if (records(r).stream().anyMatch(b -> b.recordId().equals(recordId))) {
                    found.add(r);
                    return true;
                }
            }
            return false;
        });
        return found.get(0);
    }

    private static List<BatchedRecord> records(ConsumerRecord<byte[], byte[]> leafBatch) {
        String header = Pipeline.header(leafBatch, LeafBatchRecords.HEADER);
        if (header == null || LeafBatchCodec.type(leafBatch.value()) != LeafBatchCodec.LEAVES) {
            return List.of();
        }
        return LeafBatchRecords.decode(leafBatch.headers().lastHeader(LeafBatchRecords.HEADER).value(),
                LeafBatchCodec.leafCount(leafBatch.value()));
    }

    @Test
    void aLeafBatchCarriesAValidTraceparentOfAProducerSpanLinkedToItsRecordsContexts() {
        String tenant = Pipeline.newTenant("batch-trace");
        List<AnchorRequest> requests = List.of(Pipeline.request(tenant), Pipeline.request(tenant), Pipeline.request(tenant),
                Pipeline.request(tenant));
        Map<String, String> traced = Map.of(requests.get(0).recordId(), Traceparents.newSampled(),
                requests.get(1).recordId(), Traceparents.newSampled(), requests.get(2).recordId(), Traceparents.newSampled());
        send(requests, traced);
        for (AnchorRequest r : requests) {
            ConsumerRecord<byte[], byte[]> batch = leafBatchOf(r.recordId());
            SpanData producer = span(Traceparents.ids(Pipeline.header(batch, TraceHeaders.TRACEPARENT)));
            assertEquals(SpanKind.PRODUCER, producer.getKind());
            assertEquals("send " + ChainFixture.LEAVES_TOPIC, producer.getName());
            assertEquals("kafka", producer.getAttributes().get(MessagingSpans.SYSTEM));
            assertEquals(ChainFixture.LEAVES_TOPIC, producer.getAttributes().get(MessagingSpans.DESTINATION));
            assertEquals("send", producer.getAttributes().get(MessagingSpans.OPERATION_TYPE));
            assertEquals((long) records(batch).size(), producer.getAttributes().get(MessagingSpans.BATCH_MESSAGE_COUNT));
            assertFalse(producer.getParentSpanContext().isValid(), "a batch gathers many records' traces: links, no parent");
            if (traced.containsKey(r.recordId())) {
                assertTrue(links(producer).contains(Traceparents.ids(traced.get(r.recordId()))),
                        "the batch's span links record " + r.recordId() + "'s context: " + producer.getLinks());
            }
        }
    }

    @Test
    void aRecordsTraceLeadsByParentOrLinkFromItsAnchorRequestToItsReceiptsAndItsEvents() {
        AnchorRequest r = Pipeline.request(Pipeline.newTenant("path-trace"));
        String record = Traceparents.newSampled();
        send(List.of(r), Map.of(r.recordId(), record));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                .until(() -> Pipeline.anchored(List.of(r.recordId())).containsKey(r.recordId()));

        // Anchor request -> the leaf batch's producer span, by link.
        ConsumerRecord<byte[], byte[]> batch = leafBatchOf(r.recordId());
        String batchContext = Pipeline.header(batch, TraceHeaders.TRACEPARENT);
        assertTrue(links(span(Traceparents.ids(batchContext))).contains(Traceparents.ids(record)));

        // Leaf batch -> each replica's seal of the block holding it, by link (the chain node's part: ReplicaTracingTest).
        List<ConsumerRecord<byte[], byte[]>> copies = Pipeline.readAll(ChainFixture.BLOCKS_TOPIC).stream()
                .filter(c -> BlockMessageCodec.decode(c.value()).batches().stream().anyMatch(b -> b.offset() == batch.offset()))
                .toList();
        assertEquals(2, copies.size(), "one copy per replica");
        List<String> seals = copies.stream().map(c -> Pipeline.header(c, TraceHeaders.TRACEPARENT)).toList();
        for (String seal : seals) {
            Traceparents.ids(seal);
            assertTrue(AttestTestResource.chain().seals.links(seal).contains(batchContext), "a seal links its leaf batches");
        }

        // Block copies -> the span that built the block's receipts, by link to every copy's seal.
        long height = BlockMessageCodec.decode(copies.get(0).value()).header().height();
        Set<String> sealIds = seals.stream().map(Traceparents::ids).collect(Collectors.toSet());
        SpanData[] receipts = new SpanData[1];
        await().atMost(WAIT).until(() -> (receipts[0] = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.CONSUMER && links(s).containsAll(sealIds)).findFirst().orElse(null)) != null);
        assertEquals("process " + ChainFixture.BLOCKS_TOPIC, receipts[0].getName());
        assertEquals(height, receipts[0].getAttributes().get(PipelineSpans.BLOCK_HEIGHT));
        assertEquals(2L, receipts[0].getAttributes().get(MessagingSpans.BATCH_MESSAGE_COUNT), "both copies read");

        // The record's own events stay on its own trace.
        List<ConsumerRecord<byte[], byte[]>> events = Pipeline.readAll(Pipeline.EVENTS).stream()
                .filter(e -> r.recordId().equals(Pipeline.header(e, EventCodec.RECORD_HEADER))).toList();
        assertEquals(Set.of(EventTypes.RECORD_ACCEPTED, EventTypes.RECORD_ANCHORED),
                events.stream().map(e -> Pipeline.header(e, EventCodec.TYPE_HEADER)).collect(Collectors.toSet()));
        events.forEach(e -> assertEquals(record, Pipeline.header(e, TraceHeaders.TRACEPARENT)));
    }
}
