package io.tracemark.attest.ledger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The leaf batches this instance's ledger step committed, by leaves-topic offset, handed to the anchoring step in
 * memory so that a sealed block's batches are not read back from Kafka (a seek and a fetch per block, the largest
 * fixed cost of a small block). Only committed batches are offered (their offsets come from the committed
 * transaction's sends; Kafka never reuses an offset), so an entry is exactly what {@link LeafBatchReader} would
 * read. Bounded by {@code tracemark.attest.anchoring.batch-cache-leaves}: past it the oldest go and are read from
 * the topic instead, as after a restart or for batches another instance published. Nothing here is durable or
 * needed for correctness.
 */
@ApplicationScoped
public class PublishedBatches {
    private final int maxLeaves;
    private final Map<Long, LeafBatchReader.ReadBatch> byOffset = new LinkedHashMap<>();
    private final Counter hits;
    private final Counter misses;
    private long leaves;

    @Inject
    public PublishedBatches(@ConfigProperty(name = "tracemark.attest.anchoring.batch-cache-leaves", defaultValue = "200000") int maxLeaves,
                            MeterRegistry meters) {
        this.maxLeaves = maxLeaves;
        hits = Counter.builder("tracemark.attest.leaf.batches.read").tag("from", "memory")
                .description("leaf batches of sealed blocks the anchoring step took from memory or read back from the leaves topic")
                .register(meters);
        misses = Counter.builder("tracemark.attest.leaf.batches.read").tag("from", "topic")
                .description("leaf batches of sealed blocks the anchoring step took from memory or read back from the leaves topic")
                .register(meters);
    }

    /** Keeps a batch committed at {@code offset}. */
    public synchronized void offer(long offset, LeafBatchReader.ReadBatch batch) {
        if (maxLeaves <= 0 || byOffset.containsKey(offset)) {
            return;
        }
        byOffset.put(offset, batch);
        leaves += batch.digests().size();
        var it = byOffset.values().iterator();
        while (leaves > maxLeaves && it.hasNext()) {
            leaves -= it.next().digests().size();
            it.remove();
        }
    }

    /** Removes and returns those of {@code offsets} held; the rest are counted as to be read from the topic. */
    public synchronized Map<Long, LeafBatchReader.ReadBatch> take(Collection<Long> offsets) {
        Map<Long, LeafBatchReader.ReadBatch> out = new HashMap<>();
        for (long o : offsets) {
            LeafBatchReader.ReadBatch b = byOffset.remove(o);
            if (b != null) {
                leaves -= b.digests().size();
                out.put(o, b);
            }
        }
        hits.increment(out.size());
        misses.increment(offsets.size() - out.size());
        return out;
    }

    /** Batches held now. */
    public synchronized int size() {
        return byOffset.size();
    }
}
