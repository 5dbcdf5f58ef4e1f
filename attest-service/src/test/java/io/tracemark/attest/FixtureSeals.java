package io.tracemark.attest;

import io.tracemark.contracts.blocks.BlockMessage;
import io.tracemark.contracts.tracing.TraceHeaders;
import io.tracemark.testsupport.Traceparents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chain fixture's side of the trace contract the chain-node replicas keep (docs/ledger.md "Tracing", tested there
 * with real spans): it reads the {@code traceparent} of each leaf batch, gives each replica's copy of a block a seal
 * context of its own (a new trace) as its {@code traceparent} header, and records which leaf-batch contexts that seal
 * links, so attest's tests can follow a record's trace across the chain.
 */
public final class FixtureSeals {
    private final Map<Long, String> batchByOffset = new ConcurrentHashMap<>();
    private final Map<String, List<String>> linksBySeal = new ConcurrentHashMap<>();

    /** Remembers the trace context a leaf batch carried. */
    void applied(ConsumerRecord<byte[], byte[]> leafBatch) {
        Header h = leafBatch.headers().lastHeader(TraceHeaders.TRACEPARENT);
        if (h != null) {
            batchByOffset.put(leafBatch.offset(), new String(h.value(), StandardCharsets.US_ASCII));
        }
    }

    /** A new seal {@code traceparent} for one copy of a block of {@code batches}, linked to their contexts. */
    String seal(List<BlockMessage.Batch> batches) {
        String seal = Traceparents.newSampled();
        linksBySeal.put(seal, batches.stream().map(b -> batchByOffset.get(b.offset())).filter(Objects::nonNull).toList());
        return seal;
    }

    /** The leaf-batch {@code traceparent}s the copy sealed as {@code seal} links; empty for a seal not made here. */
    public List<String> links(String seal) {
        return linksBySeal.getOrDefault(seal, List.of());
    }
}
