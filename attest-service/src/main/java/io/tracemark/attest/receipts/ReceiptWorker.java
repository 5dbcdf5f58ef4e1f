package io.tracemark.attest.receipts;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.attest.anchoring.AnchorStore;
import io.tracemark.attest.anchoring.GiveWay;
import io.tracemark.attest.anchoring.LeafBatcher;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Builds each anchored record's receipt ({@link ReceiptBuilder}, the one format shared with verify-service)
 * and raises {@code record.anchored} with it. Runs beside anchoring, never in its way: a receipt that
 * cannot be built yet (chain-node unreachable, proof not served yet, too few cosignatures) is retried
 * later with backoff, and a time-stamp token still missing after {@code tracemark.attest.receipt.timestamp-wait}
 * is left out rather than holding the event back for ever.
 *
 * <p>Fed in memory by the blocks follower (a bounded queue); {@code anchors.receiptState = due} is the
 * durable to-do list, read back only at start-up and after the queue overflowed, so no poll scans
 * {@code anchors} while records arrive.
 */
@ApplicationScoped
public class ReceiptWorker {
    private static final Logger LOG = Logger.getLogger(ReceiptWorker.class);
    private static final int QUEUE = 200_000;
    private static final int ROUND = 500;

    @Inject
    AnchorStore anchors;
    @Inject
    BlockBook blocks;
    @Inject
    ChainNodeClient chain;
    @Inject
    TileProofs proofs;
    @Inject
    RecordsReader records;
    @Inject
    EventDispatcher events;
    @Inject
    LeafBatcher batcher;
    @ConfigProperty(name = "tracemark.attest.receipt.timestamp-wait", defaultValue = "30s")
    Duration timestampWait;
    @ConfigProperty(name = "tracemark.attest.receipt.min-signatures", defaultValue = "1")
    int minSignatures;
    @ConfigProperty(name = "tracemark.attest.receipt.signature-wait", defaultValue = "10s")
    Duration signatureWait;
    @ConfigProperty(name = "tracemark.attest.receipt.parallelism", defaultValue = "8")
    int parallelism;

    /** One anchored record whose receipt is to be built. */
    public record Due(String recordId, String tenant, String type, String digest, Instant acceptedAt, long leafIndex,
                      long blockHeight, Instant anchoredAt, int attempts) {
        Due retried() {
            return new Due(recordId, tenant, type, digest, acceptedAt, leafIndex, blockHeight, anchoredAt, attempts + 1);
        }
    }

    private final LinkedBlockingQueue<Due> queue = new LinkedBlockingQueue<>(QUEUE);
    private volatile boolean overflowed = true;
    private ExecutorService pool;
    private ScheduledExecutorService later;
    private volatile boolean running;
    private Thread thread;

    void start(@Observes StartupEvent e) {
        pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "attest-receipts");
            t.setDaemon(true);
            return t;
        });
        later = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "attest-receipt-retries");
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
            later.shutdownNow();
        }
    }

    /** Hands freshly anchored records to the worker; on overflow they are read back from MongoDB later. */
    public void submit(List<Due> due) {
        for (Due d : due) {
            if (!queue.offer(d)) {
                overflowed = true;
            }
        }
    }

    private void loop() {
        List<Due> round = new ArrayList<>(ROUND);
        while (running) {
            try {
                if (queue.isEmpty() && overflowed) {
                    overflowed = false;
                    // Start-up and overflow recovery: the durable to-do list, read once.
                    submit(anchors.receiptsDue(QUEUE / 2).stream().map(ReceiptWorker::due).toList());
                }
                Due first = queue.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                GiveWay.toAnchoring(batcher);
                round.clear();
                round.add(first);
                queue.drainTo(round, ROUND - 1);
                process(round);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException ex) {
                LOG.warnf("receipt round failed, retrying its records: %s", ex.toString());
                round.forEach(d -> retry(d, Duration.ofSeconds(1)));
            }
        }
    }

    private void retry(Due d, Duration after) {
        if (running) {
            later.schedule(() -> submit(List.of(d)), after.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void process(List<Due> due) {
        Map<String, RecordsReader.Content> content = records.find(due.stream().map(Due::recordId).toList());
        Map<Long, Optional<BlockBook.Block>> blockCache = new HashMap<>();
        Map<Long, Optional<byte[]>> tokenCache = new ConcurrentHashMap<>();
        Map<Long, Map<Long, List<byte[]>>> paths = inclusionPaths(due, blockCache);
        List<CompletableFuture<Optional<NewEvent>>> work = new ArrayList<>(due.size());
        for (Due d : due) {
            Optional<BlockBook.Block> block = blockCache.get(d.blockHeight());
            List<byte[]> path = block.map(b -> paths.getOrDefault(b.header().treeSize(), Map.of()).get(d.leafIndex())).orElse(null);
            work.add(CompletableFuture.supplyAsync(() -> build(d, block, path, content.get(d.recordId()), tokenCache), pool));
        }
        List<NewEvent> ready = new ArrayList<>();
        List<String> readyIds = new ArrayList<>();
        String firstFailure = null;
        int failures = 0;
        for (int i = 0; i < due.size(); i++) {
            Due d = due.get(i);
            try {
                Optional<NewEvent> ev = work.get(i).join();
                if (ev.isPresent()) {
                    ready.add(ev.get());
                    readyIds.add(d.recordId());
                }
            } catch (RuntimeException ex) {
                Throwable cause = ex.getCause() == null ? ex : ex.getCause();
                Duration backoff = Duration.ofSeconds(Math.min(300, 1L << Math.min(8, d.attempts())));
                anchors.receiptFailed(d.recordId(), Instant.now().plus(backoff), cause.getMessage());
                retry(d.retried(), backoff);
                failures++;
                firstFailure = firstFailure == null ? d.recordId() + ": " + cause.getMessage() : firstFailure;
            }
        }
        if (failures > 0) {
            // One line per round, not per record: an unreachable chain-node fails every receipt of the round.
            LOG.warnf("%d of %d receipts could not be built yet and are retried with backoff (first: %s)", failures,
                    due.size(), firstFailure);
        }
        events.append(ready);
        anchors.receiptsDone(readyIds);
    }

    /**
     * The round's inclusion paths by tree size and leaf index, proved from tiles per block; a block whose
     * proofs fail is left out, so its records ask the chain-node one by one in {@link #build}.
     */
    private Map<Long, Map<Long, List<byte[]>>> inclusionPaths(List<Due> due, Map<Long, Optional<BlockBook.Block>> blockCache) {
        Map<Long, List<Long>> leavesByHeight = new HashMap<>();
        for (Due d : due) {
            blockCache.computeIfAbsent(d.blockHeight(), blocks::find);
            leavesByHeight.computeIfAbsent(d.blockHeight(), h -> new ArrayList<>()).add(d.leafIndex());
        }
        Map<Long, Map<Long, List<byte[]>>> out = new HashMap<>();
        leavesByHeight.forEach((height, leaves) -> blockCache.get(height).ifPresent(b -> {
            try {
                out.computeIfAbsent(b.header().treeSize(), s -> new HashMap<>())
                        .putAll(proofs.inclusion(b.header().treeSize(), b.header().root(), leaves));
            } catch (RuntimeException e) {
                proofs.forgetTiles();
                LOG.warnf("inclusion proofs from tiles failed for block %d, asking per leaf: %s", height, e.toString());
            }
        }));
        return out;
    }

    /** The event for one record, or empty if it should wait (already rescheduled in memory). */
    private Optional<NewEvent> build(Due d, Optional<BlockBook.Block> block, List<byte[]> path, RecordsReader.Content c,
                                     Map<Long, Optional<byte[]>> tokenCache) {
        if (block.isEmpty()) {
            throw new IllegalStateException("block " + d.blockHeight() + " not recorded yet");
        }
        byte[] note = block.get().checkpoint().getBytes(StandardCharsets.UTF_8);
        if (Note.parse(note).signatures().size() < minSignatures && Instant.now().isBefore(d.anchoredAt().plus(signatureWait))) {
            // The other replicas' copies of the block usually follow within milliseconds.
            retry(d, Duration.ofMillis(250));
            return Optional.empty();
        }
        long size = block.get().header().treeSize();
        Optional<byte[]> token = tokenCache.computeIfAbsent(size, chain::timestamp);
        if (token.isEmpty() && Instant.now().isBefore(d.anchoredAt().plus(timestampWait))) {
            retry(d, Duration.ofMillis(500));
            return Optional.empty();
        }
        ReceiptBuilder b = new ReceiptBuilder()
                .record(d.recordId(), d.tenant(), d.type(), d.digest(), c == null ? null : c.salt(),
                        c == null ? null : c.canonical(), d.acceptedAt())
                .leaf(d.leafIndex(), path != null ? path : chain.inclusion(d.leafIndex(), size), note)
                .block(block.get().header());
        token.ifPresent(t -> b.timestamp(t, chain.tsaCertificate().orElse(null)));
        Receipt receipt = b.build();
        String data = "{\"recordId\":\"" + d.recordId() + "\",\"type\":\"" + d.type() + "\",\"digest\":\""
                + d.digest() + "\",\"leafIndex\":" + d.leafIndex() + ",\"blockHeight\":" + block.get().header().height()
                + ",\"treeSize\":" + size + ",\"anchoredAt\":\"" + d.anchoredAt() + "\",\"receipt\":"
                + ReceiptJson.write(receipt) + "}";
        return Optional.of(new NewEvent(EventTypes.RECORD_ANCHORED + ":" + d.recordId(), d.tenant(),
                EventTypes.RECORD_ANCHORED, d.anchoredAt(), data, c == null ? null : c.gtin(), null));
    }

    private static Due due(Document a) {
        return new Due(a.getString("_id"), a.getString("tenant"), a.getString("type"), a.getString("digest"),
                a.getDate("acceptedAt").toInstant(), a.get("leafIndex", Number.class).longValue(),
                a.get("blockHeight", Number.class).longValue(), a.getDate("anchoredAt").toInstant(),
                a.getInteger("receiptAttempts", 0));
    }
}
