package io.tracemark.attest.events;

import io.tracemark.attest.blocks.BlockBook;
import io.tracemark.attest.blocks.BlockCopies;
import io.tracemark.attest.ledger.ChainNodeClient;
import io.tracemark.attest.ledger.LeafBatchReader;
import io.tracemark.attest.ledger.PublishedBatches;
import io.tracemark.attest.receipts.AnchoredRecord;
import io.tracemark.attest.receipts.ReceiptFactory;
import io.tracemark.attest.receipts.WitnessEvidenceReader;
import io.tracemark.contracts.blocks.BlockMessage;
import io.tracemark.contracts.events.Event;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@code record.anchored} events of one gathered block: records the per-block fact, reads its leaf
 * batches back (from memory, else the leaves topic), waits a bounded time for its RFC 3161 token and witness
 * evidence, and builds every record's receipt in bulk ({@link ReceiptFactory}).
 */
@ApplicationScoped
public class BlockEvents {
    private static final Logger LOG = Logger.getLogger(BlockEvents.class);
    private static final Duration READ_BACK = Duration.ofSeconds(30);
    private static final long TOKEN_POLL_MILLIS = 25;

    @ConfigProperty(name = "tracemark.attest.receipt.timestamp-wait", defaultValue = "5s")
    Duration timestampWait;
    @Inject
    BlockBook blocks;
    @Inject
    ReceiptFactory receipts;
    @Inject
    ChainNodeClient chain;
    @Inject
    PublishedBatches published;
    @Inject
    WitnessEvidenceReader witnesses;
    @Inject
    AnchoringMetrics metrics;

    /** One block's events, built and waiting for the commit; {@code expected} the signatures it should carry. */
    record Built(BlockCopies.Gathered block, List<AnchoredRecord> anchored, List<Event> events, int expected,
                 long releasedNanos) {
    }

    /** The events of {@code g}, whose checkpoint should carry {@code expected} replica signatures. */
    Built build(LeafBatchReader reader, BlockCopies.Gathered g, int expected) {
        long t0 = System.nanoTime();
        metrics.step("gather", t0 - g.firstSeenNanos());
        BlockBook.Block fact = blocks.record(g.header(), g.checkpoint());
        BlockCopies.Gathered merged = g.withCheckpoint(fact.checkpoint());
        List<Long> offsets = g.message().batches().stream().map(BlockMessage.Batch::offset).toList();
        Map<Long, LeafBatchReader.ReadBatch> batches = new HashMap<>(published.take(offsets));
        if (batches.size() < offsets.size()) {
            batches.putAll(reader.read(offsets.stream().filter(o -> !batches.containsKey(o)).toList(), READ_BACK));
        }
        List<AnchoredRecord> anchored = ReceiptFactory.anchored(g.message(), batches);
        long t1 = System.nanoTime();
        metrics.step("leaves", t1 - t0);
        Optional<byte[]> token = anchored.isEmpty() ? Optional.empty() : token(g);
        long t2 = System.nanoTime();
        metrics.step("timestamp", t2 - t1);
        WitnessEvidenceReader.Outcome witnessing = anchored.isEmpty() ? null : witnesses.evidence(g.header().treeSize(), g.firstSeenNanos());
        long tw = System.nanoTime();
        metrics.step("witnesses", tw - t2);
        List<Event> events = receipts.events(merged, anchored, expected, token, witnessing);
        metrics.step("receipts", System.nanoTime() - tw);
        return new Built(g, anchored, events, expected, t0);
    }

    /**
     * The block checkpoint's RFC 3161 token, waiting for it up to {@code timestamp-wait} after the block arrived.
     * A bounded wait for an answer that may not exist yet, not a retry of a failure: a block without a token is
     * anchored all the same, and says so.
     */
    private Optional<byte[]> token(BlockCopies.Gathered g) {
        long deadline = g.firstSeenNanos() + timestampWait.toNanos();
        while (true) {
            Optional<byte[]> t = chain.timestamp(g.header().treeSize());
            if (t.isPresent() || System.nanoTime() > deadline) {
                if (t.isEmpty()) {
                    LOG.warnf("block %d anchored without an RFC 3161 token: none issued within %s", g.header().height(),
                            timestampWait);
                }
                return t;
            }
            try {
                Thread.sleep(TOKEN_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }
}
