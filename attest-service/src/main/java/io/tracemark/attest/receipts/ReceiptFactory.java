package io.tracemark.attest.receipts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.attest.blocks.BlockCopies;
import io.tracemark.attest.ledger.ChainNodeClient;
import io.tracemark.attest.ledger.LeafBatchReader;
import io.tracemark.attest.ledger.PendingContent;
import io.tracemark.attest.ledger.PendingContent.Content;
import io.tracemark.contracts.Json;
import io.tracemark.contracts.blocks.BlockMessage;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.contracts.ledger.BatchedRecord;
import io.tracemark.edge.logging.LogContext;
import io.tracemark.edge.logging.LogFields;
import io.tracemark.proofs.ledger.BlockHeader;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptBuilder;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.receipt.TimeAuthorities;
import io.tracemark.proofs.receipt.WitnessEvidence;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds, per sealed block and in bulk, the {@code record.anchored} event of every record the block
 * appended, each carrying its receipt ({@code tracemark.dev/receipt@v1}, {@link ReceiptBuilder}, the one
 * format every verifier reads): the leaves come from the block's leaf batches, the inclusion proofs from the
 * chain node's tiles for the whole block at once, the records' salt and canonical text as the ledger step
 * handed them over ({@link PendingContent}) or else from one keyed read per few hundred records, the checkpoint from the merged copies (every replica's signature that arrived),
 * the RFC 3161 token from the chain node once per block, the external authorities' tokens it holds by then
 * ({@link ReceiptAuthorities}) and the block's witness evidence as given ({@link WitnessEvidenceReader}).
 */
@ApplicationScoped
// Created at start so that its receipts counter is exported (at 0) before the first block.
@Startup
public class ReceiptFactory {
    private static final Logger LOG = Logger.getLogger(ReceiptFactory.class);
    private static final HexFormat HEX = HexFormat.of();
    /** The receipt format's own mapper, so the embedded receipt is the JSON {@link ReceiptJson#write} gives. */
    private static final com.fasterxml.jackson.databind.ObjectMapper RECEIPTS = ReceiptJson.mapper();

    @Inject
    RecordsReader records;
    @Inject
    PendingContent pending;
    @Inject
    TileProofs proofs;
    @Inject
    ChainNodeClient chain;
    @Inject
    ReceiptAuthorities authorities;
    @Inject
    ParkedReceipts parked;
    @Inject
    MeterRegistry meters;
    @ConfigProperty(name = "tracemark.attest.receipt.parallelism", defaultValue = "4")
    int parallelism;
    private volatile ExecutorService pool;
    private Counter built;

    @PostConstruct
    void meters() {
        built = Counter.builder("tracemark.attest.receipts.built")
                .description("receipts built for anchored records, one per record.anchored event (a block built again "
                        + "after an aborted transaction counts again)").register(meters);
    }

    private ExecutorService pool() {
        if (pool == null) {
            synchronized (this) {
                if (pool == null) {
                    pool = Executors.newFixedThreadPool(parallelism, r -> {
                        Thread t = new Thread(r, "attest-receipts");
                        t.setDaemon(true);
                        return t;
                    });
                }
            }
        }
        return pool;
    }

    @PreDestroy
    void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** The records a block appended, in leaf order; positions the ledger skipped as repeats are left out. */
    public static List<AnchoredRecord> anchored(BlockMessage block, Map<Long, LeafBatchReader.ReadBatch> batches) {
        List<AnchoredRecord> out = new ArrayList<>();
        for (BlockMessage.Batch b : block.batches()) {
            LeafBatchReader.ReadBatch read = batches.get(b.offset());
            if (read == null) {
                continue;
            }
            List<BatchedRecord> rs = read.records();
            for (int i = 0; i < rs.size(); i++) {
                OptionalLong leaf = b.leafIndexOf(i);
                if (leaf.isPresent()) {
                    out.add(new AnchoredRecord(rs.get(i), HEX.formatHex(read.digests().get(i)), leaf.getAsLong(), read.timestampMillis()));
                }
            }
        }
        return out;
    }

    /**
     * The {@code record.anchored} events of {@code anchored}, all in block {@code block}.
     *
     * @param expectedSignatures replica signatures a complete checkpoint carries; a receipt with fewer says so
     * @param token              the block checkpoint's RFC 3161 time-stamp, if issued in time
     * @param witnessed          the block's witness evidence and the witnesses it lacks ({@link WitnessEvidenceReader});
     *                           the events name those in {@code witnessesMissing}
     */
    public List<Event> events(BlockCopies.Gathered block, List<AnchoredRecord> anchored, int expectedSignatures,
                              Optional<byte[]> token, WitnessEvidenceReader.Outcome witnessed) {
        if (anchored.isEmpty()) {
            return List.of();
        }
        BlockHeader header = block.header();
        WitnessEvidence witnessing = witnessed.evidence();
        List<String> witnessesMissing = witnessed.missing();
        Map<String, Content> content = content(anchored);
        byte[] note = block.checkpoint().getBytes(StandardCharsets.UTF_8);
        List<String> signers = ReceiptBuilder.signersOf(note);
        // The token is parsed once per block, not once per receipt.
        Optional<Receipt.Timestamp> timestamp = token.map(t -> ReceiptBuilder.timestampOf(t, chain.tsaCertificate().orElse(null)));
        Instant anchoredAt = Instant.ofEpochMilli(header.timeMillis());
        // Asked after the (bounded) witness wait, so that tokens which arrived meanwhile are carried.
        TimeAuthorities external = authorities.of(header.treeSize());
        // Proofs and receipts of one block are independent per record: built in slices on the pool, in order.
        List<List<AnchoredRecord>> slices = new ArrayList<>();
        int slice = Math.max(64, (anchored.size() + parallelism - 1) / parallelism);
        for (int i = 0; i < anchored.size(); i += slice) {
            slices.add(anchored.subList(i, Math.min(anchored.size(), i + slice)));
        }
        List<CompletableFuture<List<Event>>> parts = new ArrayList<>(slices.size());
        for (List<AnchoredRecord> part : slices) {
            parts.add(CompletableFuture.supplyAsync(() -> build(block, part, content, expectedSignatures, timestamp,
                    external, note, signers, anchoredAt, witnessing, witnessesMissing), pool()));
        }
        List<Event> out = new ArrayList<>(anchored.size());
        for (CompletableFuture<List<Event>> f : parts) {
            out.addAll(f.join());
        }
        built.increment(out.size());
        List<BatchedRecord> missing = anchored.stream().map(AnchoredRecord::record)
                .filter(r -> !content.containsKey(r.recordId())).toList();
        if (!missing.isEmpty()) {
            parked.park(ParkedReceipts.CONTENT_MISSING, missing.size());
            BatchedRecord first = missing.get(0);
            // Once per block, not per record: their receipts prove the digest but carry no text to recompute it.
            // The line is filed under the first such record, so a search for it finds its block's line.
            try (LogContext ignored = LogContext.record(first.recordId(), first.tenant(), null)
                    .put(LogFields.BLOCK_HEIGHT, Long.toString(header.height()))) {
                LOG.warnf("%d of %d records of block %d are not in the records collection (first: %s); their receipts "
                        + "carry no content", missing.size(), anchored.size(), header.height(), first.recordId());
            }
        }
        return out;
    }

    /**
     * The content of each record: handed over in memory by the ledger step when it sent the record, else (after a
     * restart, an eviction, or a request sent without it) read from the records collection by id.
     */
    private Map<String, Content> content(List<AnchoredRecord> anchored) {
        List<String> ids = anchored.stream().map(a -> a.record().recordId()).toList();
        Map<String, Content> out = pending.take(ids);
        if (out.size() < ids.size()) {
            out.putAll(records.find(ids.stream().filter(id -> !out.containsKey(id)).toList()));
        }
        return out;
    }

    private List<Event> build(BlockCopies.Gathered block, List<AnchoredRecord> anchored, Map<String, Content> content,
                              int expectedSignatures, Optional<Receipt.Timestamp> timestamp, TimeAuthorities external,
                              byte[] note, List<String> signers, Instant anchoredAt, WitnessEvidence witnessing,
                              List<String> witnessesMissing) {
        BlockHeader header = block.header();
        Map<Long, List<byte[]>> paths = proofs.inclusion(header.treeSize(), header.root(),
                anchored.stream().map(AnchoredRecord::leafIndex).toList());
        List<Event> out = new ArrayList<>(anchored.size());
        for (AnchoredRecord a : anchored) {
            BatchedRecord r = a.record();
            Content c = content.get(r.recordId());
            ReceiptBuilder b = new ReceiptBuilder()
                    .record(r.recordId(), r.tenant(), r.type(), a.digestHex(), c == null ? null : c.salt(),
                            c == null ? null : c.canonical(), Instant.ofEpochMilli(r.acceptedAtMillis()))
                    .leaf(a.leafIndex(), paths.get(a.leafIndex()), note, signers)
                    .block(header)
                    .witnessing(witnessing);
            timestamp.ifPresent(b::timestamp);
            b.authorities(external);
            Receipt receipt = b.build();
            ObjectNode data = Json.MAPPER.createObjectNode().put("recordId", r.recordId()).put("type", r.type())
                    .put("digest", a.digestHex()).put("leafIndex", a.leafIndex()).put("blockHeight", header.height())
                    .put("treeSize", header.treeSize()).put("anchoredAt", anchoredAt.toString())
                    .put("signatures", block.signatures()).put("expectedSignatures", expectedSignatures)
                    .put("timestamped", timestamp.isPresent());
            if (!witnessesMissing.isEmpty()) {
                var missing = data.putArray("witnessesMissing");
                witnessesMissing.forEach(missing::add);
            }
            data.set("receipt", RECEIPTS.valueToTree(receipt));
            out.add(new Event(Event.idOf(EventTypes.RECORD_ANCHORED, r.recordId()), EventTypes.RECORD_ANCHORED, anchoredAt,
                    r.tenant(), c == null ? List.of() : c.gtins(), c == null ? null : c.work(), data));
        }
        return out;
    }
}
