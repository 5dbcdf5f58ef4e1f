package io.tracemark.chain.tracing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.chain.ChainNode;
import io.tracemark.chain.ChainReplica;
import io.tracemark.chain.ChainTestInfra;
import io.tracemark.chain.LeafProducer;
import io.tracemark.chain.ReplicaSettings;
import io.tracemark.contracts.blocks.BlockMessage;
import io.tracemark.contracts.blocks.BlockMessageCodec;
import io.tracemark.contracts.tracing.MessagingSpans;
import io.tracemark.contracts.tracing.TraceHeaders;
import io.tracemark.testsupport.KafkaTestClient;
import io.tracemark.testsupport.SharedInfra;
import io.tracemark.testsupport.Traceparents;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A replica continues the W3C trace context attest puts on each leaf batch: it applies the batch in a CONSUMER span
 * whose parent is that context, seals each block in a span linked to the contexts of its leaf batches, and puts that
 * seal span's {@code traceparent} on its copy of the block message, without changing the message's bytes.
 */
@QuarkusTest
@QuarkusTestResource(value = ChainTestInfra.class, restrictToAnnotatedClass = true)
class ReplicaTracingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ChainNode node;
    @Inject
    ObjectMapper json;
    @Inject
    OpenTelemetry otel;
    @Inject
    InMemorySpanExporter spans;

    private long sendTraced(LeafProducer producer, String traceparent) {
        return producer.sendBatch(50, Map.of(TraceHeaders.TRACEPARENT, traceparent.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The span named {@code traceId-spanId} once it has ended and been exported. */
    private SpanData span(String ids) {
        SpanData[] found = new SpanData[1];
        await().atMost(WAIT).until(() -> (found[0] = spans.getFinishedSpanItems().stream()
                .filter(s -> ids.equals(idsOf(s))).findFirst().orElse(null)) != null);
        return found[0];
    }

    private static String idsOf(SpanData s) {
        return s.getTraceId() + "-" + s.getSpanId();
    }

    /** The spans whose parent is the context of {@code traceparent}, once {@code count} have ended. */
    private List<SpanData> childrenOf(String traceparent, int count) {
        String parent = Traceparents.ids(traceparent);
        await().atMost(WAIT).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> parent.equals(s.getTraceId() + "-" + s.getParentSpanId())).count() >= count);
        return spans.getFinishedSpanItems().stream().filter(s -> parent.equals(s.getTraceId() + "-" + s.getParentSpanId()))
                .toList();
    }

    /** The copy of the block that holds the leaf batch at {@code offset}, as replica {@code signer} published it. */
    private static ConsumerRecord<String, byte[]> copyHolding(long offset, String signer) {
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            return kafka.consume(blocksTopic(), 1, WAIT, r -> {
                BlockMessage m = BlockMessageCodec.decode(r.value());
                return signer.equals(m.signer()) && m.batches().stream().anyMatch(b -> b.offset() == offset);
            }).get(0);
        }
    }

    private static String blocksTopic() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("tracemark.topics.chain-blocks", String.class);
    }

    private static Set<String> linkedSpanIds(SpanData s) {
        return s.getLinks().stream().map(LinkData::getSpanContext).map(c -> c.getTraceId() + "-" + c.getSpanId())
                .collect(Collectors.toSet());
    }

    @Test
    void aLeafBatchSentWithATraceparentIsAppliedInAProcessSpanWhoseParentIsThatContext() {
        String traceparent = Traceparents.newSampled();
        long offset;
        try (LeafProducer producer = new LeafProducer(SharedInfra.kafkaBootstrap(), node.settings().leavesTopic())) {
            offset = sendTraced(producer, traceparent);
        }
        List<SpanData> applied = childrenOf(traceparent, 1);
        assertEquals(1, applied.size(), "one replica, one span applying the batch");
        SpanData s = applied.get(0);
        assertEquals(SpanKind.CONSUMER, s.getKind());
        assertEquals("process " + node.settings().leavesTopic(), s.getName());
        assertEquals("kafka", s.getAttributes().get(MessagingSpans.SYSTEM));
        assertEquals(node.settings().leavesTopic(), s.getAttributes().get(MessagingSpans.DESTINATION));
        assertEquals("process", s.getAttributes().get(MessagingSpans.OPERATION_TYPE));
        assertEquals(offset, s.getAttributes().get(MessagingSpans.KAFKA_OFFSET));
        assertEquals(50L, s.getAttributes().get(ReplicaTraces.LEAVES));
    }

    @Test
    void aBlockMessageCarriesTheSealSpanContextLinkedToTheContextsOfItsLeafBatches() {
        List<String> sent = List.of(Traceparents.newSampled(), Traceparents.newSampled(), Traceparents.newSampled());
        long[] offsets = new long[sent.size()];
        try (LeafProducer producer = new LeafProducer(SharedInfra.kafkaBootstrap(), node.settings().leavesTopic())) {
            for (int i = 0; i < sent.size(); i++) {
                offsets[i] = sendTraced(producer, sent.get(i));
            }
            producer.sendBatch(10);
        }
        String signer = node.replica().signer().name();
        for (int i = 0; i < sent.size(); i++) {
            ConsumerRecord<String, byte[]> copy = copyHolding(offsets[i], signer);
            SpanData s = span(Traceparents.ids(KafkaTestClient.header(copy, TraceHeaders.TRACEPARENT)));
            assertEquals(SpanKind.PRODUCER, s.getKind());
            assertEquals("seal " + blocksTopic(), s.getName());
            assertEquals(blocksTopic(), s.getAttributes().get(MessagingSpans.DESTINATION));
            BlockMessage block = BlockMessageCodec.decode(copy.value());
            assertEquals(block.header().height(), s.getAttributes().get(ReplicaTraces.BLOCK_HEIGHT));
            assertTrue(linkedSpanIds(s).contains(Traceparents.ids(sent.get(i))),
                    "the seal span of block " + block.header().height() + " links leaf batch " + offsets[i] + ": " + s.getLinks());
            assertFalse(s.getParentSpanContext().isValid(), "a block gathers many batches' traces: links, no parent");
            // The served block's checkpoint may have gained cosignatures since: the copy's stands in for it.
            BlockMessage served = node.replica().block(block.header().height()).orElseThrow();
            assertArrayEquals(BlockMessageCodec.encode(new BlockMessage(served.origin(), served.header(), served.blockHash(),
                    served.leavesFromOffset(), served.leavesToOffset(), served.batches(), block.checkpoint(), served.signer())),
                    copy.value(), "the trace header leaves the block message's bytes as the untraced block's");
        }
    }

    @Test
    void eachReplicaPublishesItsOwnCopyOfABlockWithItsOwnSealSpanAndTheSameBlock() throws Exception {
        ReplicaSettings second = node.settings().asReplica(ChainTestInfra.tempDir("chain-node-traced-2-"),
                "tracemark.local/chain-node-traced-2");
        ChainReplica replica2 = ChainReplica.start(second, json, otel);
        try (LeafProducer producer = new LeafProducer(SharedInfra.kafkaBootstrap(), second.leavesTopic())) {
            String traceparent = Traceparents.newSampled();
            long offset = sendTraced(producer, traceparent);
            assertEquals(2, childrenOf(traceparent, 2).size(), "each replica applies the batch in a span of its own");
            ConsumerRecord<String, byte[]> one = copyHolding(offset, node.replica().signer().name());
            ConsumerRecord<String, byte[]> two = copyHolding(offset, replica2.signer().name());
            BlockMessage b1 = BlockMessageCodec.decode(one.value());
            BlockMessage b2 = BlockMessageCodec.decode(two.value());
            assertEquals(b1.header(), b2.header(), "replicas cut the same block");
            assertEquals(b1.blockHash(), b2.blockHash());
            String seal1 = Traceparents.ids(KafkaTestClient.header(one, TraceHeaders.TRACEPARENT));
            String seal2 = Traceparents.ids(KafkaTestClient.header(two, TraceHeaders.TRACEPARENT));
            assertNotEquals(seal1, seal2, "each copy carries its own replica's seal span");
            for (String seal : List.of(seal1, seal2)) {
                assertTrue(linkedSpanIds(span(seal)).contains(Traceparents.ids(traceparent)), "each seal links the batch");
            }
        } finally {
            replica2.close();
        }
    }
}
