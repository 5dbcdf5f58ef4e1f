package io.tracemark.attest.anchoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.common.annotation.Blocking;
import io.tracemark.attest.receipts.BlockBook;
import io.tracemark.attest.receipts.ReceiptWorker;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Follows sealed blocks on {@code tracemark.chain.blocks} and marks the records they cover anchored.
 *
 * <p>Each block lists the leaf batches (by leaves-topic offset) it sealed and the first leaf index of
 * each, so a record's leaf index is that plus its position in the batch. Every chain-node replica
 * publishes the same block; the update is idempotent, so the copies are harmless.
 */
@ApplicationScoped
public class BlocksFollower {
    private static final Logger LOG = Logger.getLogger(BlocksFollower.class);

    @Inject
    AnchorStore store;
    @Inject
    ObjectMapper json;
    @Inject
    MeterRegistry meters;
    @Inject
    BlockBook blocks;
    @Inject
    ReceiptWorker receipts;
    @Inject
    LeafBatcher batcher;
    private Timer latency;

    @PostConstruct
    void meters() {
        latency = Timer.builder("tracemark.anchoring.latency")
                .description("time from a record's acceptance by ingest to its leaf being sealed in a block")
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    @Incoming("chain-blocks")
    @Blocking
    // Serialised: two copies of a block applied at once would each see the other's records as not anchored.
    public synchronized void consume(ConsumerRecords<String, String> records) {
        for (ConsumerRecord<String, String> r : records) {
            JsonNode block;
            try {
                block = json.readTree(r.value());
            } catch (Exception e) {
                LOG.errorf("skipping unreadable block at offset %d: %s", r.offset(), e.toString());
                continue;
            }
            Retry.forever("apply block " + block.path("height").asLong(), () -> {
                apply(block);
                return null;
            });
        }
    }

    private void apply(JsonNode block) {
        blocks.record(block);
        JsonNode header = block.path("header");
        long height = header.path("height").asLong();
        long treeSize = header.path("treeSize").asLong();
        Date time = new Date(header.path("timeMillis").asLong());
        List<AnchorStore.Anchored> anchored = new ArrayList<>();
        Map<String, AnchorRequest> known = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        Map<Long, AnchorStore.KnownBatch> sealed = new LinkedHashMap<>();
        for (JsonNode b : block.path("batches")) {
            long offset = b.path("offset").asLong();
            long first = b.path("firstLeafIndex").asLong();
            Optional<AnchorStore.KnownBatch> batch = batchAt(offset);
            if (batch.isEmpty() && !store.openBatches().isEmpty()) {
                // The batch may be ours with its offset not written yet (resolved at the next recovery):
                // retry the block rather than miss its records.
                throw new IllegalStateException("block " + height + " covers leaf batch at offset " + offset
                        + " while leaf batches are still being recorded");
            }
            if (batch.isEmpty()) {
                // A batch published by another producer of the leaves topic.
                LOG.debugf("block %d covers leaf batch at offset %d unknown to this attest-service", height, offset);
                continue;
            }
            if (batch.get().applied()) {
                // Another replica's copy of a block already applied.
                continue;
            }
            sealed.put(offset, batch.get());
            List<String> ids = batch.get().recordIds();
            for (int i = 0; i < ids.size(); i++) {
                anchored.add(new AnchorStore.Anchored(ids.get(i), first + i));
            }
            if (batch.get().requests() != null) {
                // Built by this process and not applied yet: its records are known to be pending.
                batch.get().requests().forEach(r -> known.put(r.recordId(), r));
            } else {
                unknown.addAll(ids);
            }
        }
        if (!unknown.isEmpty()) {
            store.notYetAnchored(unknown).forEach((id, d) -> known.put(id, new AnchorRequest(id, d.getString("tenant"),
                    d.getString("type"), d.getString("digest"), d.getDate("acceptedAt").toInstant(), null)));
        }
        List<AnchorStore.Anchored> fresh = anchored.stream().filter(a -> known.containsKey(a.recordId())).toList();
        long now = System.currentTimeMillis();
        Date anchoredAt = new Date(now);
        if (!fresh.isEmpty()) {
            store.anchored(fresh, height, treeSize, time, anchoredAt);
        }
        store.batchesAnchored(sealed.values().stream().map(AnchorStore.KnownBatch::batchId).toList());
        sealed.forEach(store::applied);
        if (fresh.isEmpty()) {
            return;
        }
        List<ReceiptWorker.Due> due = new ArrayList<>(fresh.size());
        for (AnchorStore.Anchored a : fresh) {
            AnchorRequest r = known.get(a.recordId());
            latency.record(Duration.ofMillis(Math.max(0, now - r.acceptedAt().toEpochMilli())));
            due.add(new ReceiptWorker.Due(a.recordId(), r.tenant(), r.type(), r.digest(), r.acceptedAt(), a.leafIndex(),
                    height, anchoredAt.toInstant(), 0));
        }
        receipts.submit(due);
    }

    /**
     * The batch at {@code offset}; if this process is publishing a batch right now, waits briefly for its
     * offset to be recorded instead of failing the block (the chain can seal faster than attest records).
     */
    private Optional<AnchorStore.KnownBatch> batchAt(long offset) {
        Optional<AnchorStore.KnownBatch> ids = store.batchAt(offset);
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (ids.isEmpty() && batcher.publishing() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            ids = store.batchAt(offset);
        }
        return ids;
    }
}
