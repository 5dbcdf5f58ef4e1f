package io.tracemark.attest.receipts;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.attest.anchoring.AnchorStore;
import io.tracemark.attest.events.EventDispatcher;
import io.tracemark.attest.events.EventTypes;
import io.tracemark.attest.events.NewEvent;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptBuilder;
import io.tracemark.proofs.receipt.ReceiptJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Builds each anchored record's receipt ({@link ReceiptBuilder}, the one format shared with verify-service)
 * and raises {@code record.anchored} with it. Runs beside anchoring, never in its way: a receipt that
 * cannot be built yet (chain-node unreachable, proof not served yet, too few cosignatures) is retried
 * later with backoff, and a time-stamp token still missing after {@code tracemark.attest.receipt.timestamp-wait}
 * is left out rather than holding the event back for ever.
 */
@ApplicationScoped
public class ReceiptWorker {
    private static final Logger LOG = Logger.getLogger(ReceiptWorker.class);

    @Inject
    AnchorStore anchors;
    @Inject
    BlockBook blocks;
    @Inject
    ChainNodeClient chain;
    @Inject
    RecordsReader records;
    @Inject
    EventDispatcher events;
    @ConfigProperty(name = "tracemark.attest.receipt.timestamp-wait", defaultValue = "30s")
    Duration timestampWait;
    @ConfigProperty(name = "tracemark.attest.receipt.min-signatures", defaultValue = "1")
    int minSignatures;
    @ConfigProperty(name = "tracemark.attest.receipt.signature-wait", defaultValue = "10s")
    Duration signatureWait;
    @ConfigProperty(name = "tracemark.attest.receipt.parallelism", defaultValue = "8")
    int parallelism;

    private final Semaphore wake = new Semaphore(0);
    private ExecutorService pool;
    private volatile boolean running;
    private Thread thread;

    void start(@Observes StartupEvent e) {
        pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "attest-receipts");
            t.setDaemon(true);
            return t;
        });
        running = true;
        thread = new Thread(this::loop, "attest-receipt-worker");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent e) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** Wakes the worker after records were anchored. */
    public void nudge() {
        wake.release();
    }

    private void loop() {
        while (running) {
            try {
                wake.tryAcquire(500, TimeUnit.MILLISECONDS);
                wake.drainPermits();
                List<Document> due;
                while (running && !(due = anchors.receiptsDue(500)).isEmpty()) {
                    process(due);
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException ex) {
                LOG.warnf("receipt round failed: %s", ex.toString());
            }
        }
    }

    private void process(List<Document> due) {
        Map<String, RecordsReader.Content> content = records.find(due.stream().map(d -> d.getString("_id")).toList());
        Map<Long, Optional<BlockBook.Block>> blockCache = new HashMap<>();
        Map<Long, Optional<byte[]>> tokenCache = new HashMap<>();
        List<CompletableFuture<Optional<NewEvent>>> work = new ArrayList<>();
        for (Document a : due) {
            long height = a.get("blockHeight", Number.class).longValue();
            Optional<BlockBook.Block> block = blockCache.computeIfAbsent(height, blocks::find);
            work.add(CompletableFuture.supplyAsync(() -> build(a, block, content.get(a.getString("_id")), tokenCache), pool));
        }
        List<NewEvent> ready = new ArrayList<>();
        List<String> readyIds = new ArrayList<>();
        for (int i = 0; i < due.size(); i++) {
            String id = due.get(i).getString("_id");
            try {
                Optional<NewEvent> ev = work.get(i).join();
                if (ev.isPresent()) {
                    ready.add(ev.get());
                    readyIds.add(id);
                }
            } catch (RuntimeException ex) {
                Throwable cause = ex.getCause() == null ? ex : ex.getCause();
                int attempts = due.get(i).getInteger("receiptAttempts", 0);
                Duration backoff = Duration.ofSeconds(Math.min(300, 1L << Math.min(8, attempts)));
                anchors.receiptOutcome(id, false, Instant.now().plus(backoff), cause.getMessage());
            }
        }
        events.append(ready);
        readyIds.forEach(id -> anchors.receiptOutcome(id, true, null, null));
    }

    /** The event for one record, or empty if it should wait (already rescheduled). */
    private Optional<NewEvent> build(Document a, Optional<BlockBook.Block> block, RecordsReader.Content c,
                                     Map<Long, Optional<byte[]>> tokenCache) {
        String id = a.getString("_id");
        Instant anchoredAt = a.getDate("anchoredAt").toInstant();
        boolean patienceLeft;
        if (block.isEmpty()) {
            throw new IllegalStateException("block " + a.get("blockHeight") + " not recorded yet");
        }
        byte[] note = block.get().checkpoint().getBytes(StandardCharsets.UTF_8);
        patienceLeft = Instant.now().isBefore(anchoredAt.plus(signatureWait));
        if (Note.parse(note).signatures().size() < minSignatures && patienceLeft) {
            anchors.receiptOutcome(id, false, Instant.now().plusSeconds(1), "waiting for cosignatures");
            return Optional.empty();
        }
        long size = block.get().header().treeSize();
        Optional<byte[]> token;
        synchronized (tokenCache) {
            token = tokenCache.computeIfAbsent(size, chain::timestamp);
        }
        if (token.isEmpty() && Instant.now().isBefore(anchoredAt.plus(timestampWait))) {
            anchors.receiptOutcome(id, false, Instant.now().plusSeconds(2), "waiting for the RFC 3161 token");
            return Optional.empty();
        }
        long leafIndex = a.get("leafIndex", Number.class).longValue();
        ReceiptBuilder b = new ReceiptBuilder()
                .record(id, a.getString("tenant"), a.getString("type"), a.getString("digest"),
                        c == null ? null : c.salt(), c == null ? null : c.canonical(), a.getDate("acceptedAt").toInstant())
                .leaf(leafIndex, chain.inclusion(leafIndex, size), note)
                .block(block.get().header());
        token.ifPresent(t -> b.timestamp(t, chain.tsaCertificate().orElse(null)));
        Receipt receipt = b.build();
        String data = "{\"recordId\":\"" + id + "\",\"type\":\"" + a.getString("type") + "\",\"digest\":\""
                + a.getString("digest") + "\",\"leafIndex\":" + leafIndex + ",\"blockHeight\":" + block.get().header().height()
                + ",\"treeSize\":" + size + ",\"anchoredAt\":\"" + anchoredAt + "\",\"receipt\":" + ReceiptJson.write(receipt) + "}";
        return Optional.of(new NewEvent(EventTypes.RECORD_ANCHORED + ":" + id, a.getString("tenant"),
                EventTypes.RECORD_ANCHORED, anchoredAt, data, c == null ? null : c.gtin(), null));
    }
}
