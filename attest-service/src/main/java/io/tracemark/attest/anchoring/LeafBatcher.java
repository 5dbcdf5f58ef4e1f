package io.tracemark.attest.anchoring;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.proofs.ledger.LeafBatchCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Cuts leaf batches from registered anchor requests: a batch is published when it reaches
 * {@code tracemark.attest.max-leaves-per-batch} digests or its oldest request is
 * {@code tracemark.attest.max-batch-age} old, whichever comes first.
 *
 * <p>The queue is only a cache of the {@code pending} anchors in MongoDB: at start-up the open batches a
 * crash left behind are resolved first (found on the topic, or republished under the same batch id),
 * then every pending anchor no unanchored batch holds is queued again. Every batch goes through
 * intent → publish → published, and a failure at any step is resolved by {@link #resolve}, so a record
 * gets one leaf.
 */
@ApplicationScoped
public class LeafBatcher {
    private static final Logger LOG = Logger.getLogger(LeafBatcher.class);

    @Inject
    AnchorStore store;
    @Inject
    LeafPublisher leaves;
    @ConfigProperty(name = "tracemark.attest.max-leaves-per-batch", defaultValue = "4096")
    int maxLeaves;
    @ConfigProperty(name = "tracemark.attest.max-batch-age", defaultValue = "200ms")
    Duration maxAge;

    private final LinkedBlockingQueue<AnchorRequest> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private volatile long lastOffset = -1;
    /** Set while a batch is between its publish and the record of its offset. */
    private volatile boolean publishing;
    private volatile int lastPoll;
    private volatile long lastPollNanos;
    private static final int LAGGING_POLL = 2_000;
    private static final long LAGGING_POLL_VALID = TimeUnit.SECONDS.toNanos(2);
    private Thread thread;

    void start(@Observes StartupEvent e) {
        recover();
        running = true;
        thread = new Thread(this::loop, "attest-leaf-batcher");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent e) {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether a batch is on its way to the leaves topic and its offset not recorded yet. */
    public boolean publishing() {
        return publishing;
    }

    /**
     * Whether anchoring is behind (more records waiting for a batch than one batch holds). Receipts and
     * event dispatch give way while it is, so on a saturated MongoDB the receipt lags rather than the anchor.
     */
    public boolean behind() {
        // A large poll says Kafka holds a backlog only while polls keep coming: after the last one of a
        // burst no further (empty) poll reaches the consumer to clear it.
        boolean lagging = lastPoll > LAGGING_POLL && System.nanoTime() - lastPollNanos < LAGGING_POLL_VALID;
        return lagging || queue.size() > Math.min(maxLeaves, LeafBatchCodec.MAX_LEAVES_PER_RECORD);
    }

    /** Told by the requests consumer how many requests its last poll returned: a full poll means Kafka lag. */
    void polled(int count) {
        lastPoll = count;
        lastPollNanos = System.nanoTime();
    }

    /** Queues freshly registered requests for the next batch. */
    public void offer(List<AnchorRequest> requests) {
        queue.addAll(requests);
    }

    /** Resolves what a previous run left open and re-queues every pending anchor. */
    public void recover() {
        Retry.forever("anchoring recovery", () -> {
            lastOffset = store.lastRecordedOffset();
            List<AnchorStore.OpenBatch> open = store.openBatches();
            for (AnchorStore.OpenBatch b : open) {
                resolve(b.batchId(), b.digests(), b.scanFrom(), null);
            }
            List<AnchorRequest> pending = store.unbatched();
            if (!open.isEmpty() || !pending.isEmpty()) {
                LOG.infof("anchoring recovery: %d open leaf batches resolved, %d pending records re-queued", open.size(),
                        pending.size());
            }
            queue.clear();
            queue.addAll(pending);
            return null;
        });
    }

    private void loop() {
        int max = Math.min(maxLeaves, LeafBatchCodec.MAX_LEAVES_PER_RECORD);
        List<AnchorRequest> batch = new ArrayList<>(max);
        long oldestNanos = 0;
        while (running) {
            try {
                AnchorRequest r = batch.isEmpty() ? queue.poll(500, TimeUnit.MILLISECONDS)
                        : queue.poll(Math.max(0, oldestNanos + maxAge.toNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (r != null) {
                    if (batch.isEmpty()) {
                        oldestNanos = System.nanoTime();
                    }
                    batch.add(r);
                    queue.drainTo(batch, max - batch.size());
                }
                boolean full = batch.size() >= max;
                boolean old = !batch.isEmpty() && System.nanoTime() - oldestNanos >= maxAge.toNanos();
                if (full || old) {
                    List<AnchorRequest> toSend = List.copyOf(batch);
                    batch.clear();
                    cut(toSend);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "leaf batcher iteration failed; pending anchors are re-queued at the next start");
            }
        }
    }

    private void cut(List<AnchorRequest> candidates) {
        String batchId = UUID.randomUUID().toString();
        long scanFrom = lastOffset + 1;
        // The intent is idempotent under the same batch id, so retrying it cannot split the batch.
        List<AnchorRequest> batch = Retry.forever("write leaf batch intent", () -> store.writeIntent(batchId, candidates, scanFrom));
        if (batch.isEmpty()) {
            return;
        }
        List<String> digests = batch.stream().map(AnchorRequest::digest).toList();
        boolean[] firstTry = {true};
        publishing = true;
        try {
            Retry.forever("publish leaf batch " + batchId, () -> {
                // Nothing can be on the topic before the first send; after a failed one it might be.
                if (firstTry[0]) {
                    firstTry[0] = false;
                    record(batchId, leaves.publish(batchId, digests), batch);
                } else {
                    resolve(batchId, digests, scanFrom, batch);
                }
                return null;
            });
        } finally {
            publishing = false;
        }
    }

    private void record(String batchId, long offset, List<AnchorRequest> requests) {
        store.published(batchId, offset, requests);
        lastOffset = Math.max(lastOffset, offset);
    }

    /**
     * Makes sure batch {@code batchId} is on the leaves topic exactly once and recorded: if a record with
     * that key is already there (published before a crash or a lost acknowledgement) its offset is
     * recorded, otherwise the batch is published now. {@code requests} are the batch's records when this
     * process built it, or null for a batch recovered from its intent.
     */
    void resolve(String batchId, List<String> digests, long scanFrom, List<AnchorRequest> requests) {
        OptionalLong found = leaves.find(batchId, scanFrom);
        if (found.isPresent()) {
            LOG.infof("leaf batch %s was already on the leaves topic at offset %d; not republishing", batchId,
                    found.getAsLong());
            record(batchId, found.getAsLong(), requests);
        } else {
            record(batchId, leaves.publish(batchId, digests), requests);
        }
    }
}
