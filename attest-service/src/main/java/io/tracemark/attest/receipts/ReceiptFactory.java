package io.tracemark.attest.receipts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.attest.blocks.BlockCopies;
import io.tracemark.attest.ledger.ChainNodeClient;
import io.tracemark.attest.ledger.LeafBatchReader;
import io.tracemark.contracts.Json;
import io.tracemark.contracts.blocks.BlockMessage;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.contracts.ledger.BatchedRecord;
import io.tracemark.proofs.ledger.BlockHeader;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptBuilder;
import io.tracemark.proofs.receipt.ReceiptJson;
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

/**
 * Builds, per sealed block and in bulk, the {@code record.anchored} event of every record the block
 * appended, each carrying its receipt ({@code tracemark.dev/receipt@v1}, {@link ReceiptBuilder}, the one
 * format every verifier reads): the leaves come from the block's leaf batches, the inclusion proofs from the
 * chain node's tiles for the whole block at once, the records' salt and canonical text from one keyed read
 * per few hundred records, the checkpoint from the merged copies (every replica's signature that arrived),
 * the RFC 3161 token from the chain node once per block.
 */
@ApplicationScoped
public class ReceiptFactory {
    private static final Logger LOG = Logger.getLogger(ReceiptFactory.class);
    private static final HexFormat HEX = HexFormat.of();
    /** The receipt format's own mapper, so the embedded receipt is the JSON {@link ReceiptJson#write} gives. */
    private static final com.fasterxml.jackson.databind.ObjectMapper RECEIPTS = ReceiptJson.mapper();

    @Inject
    RecordsReader records;
    @Inject
    TileProofs proofs;
    @Inject
    ChainNodeClient chain;

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
                    out.add(new AnchoredRecord(rs.get(i), HEX.formatHex(read.digests().get(i)), leaf.getAsLong()));
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
     */
    public List<Event> events(BlockCopies.Gathered block, List<AnchoredRecord> anchored, int expectedSignatures,
                              Optional<byte[]> token) {
        if (anchored.isEmpty()) {
            return List.of();
        }
        BlockHeader header = block.header();
        Map<String, RecordsReader.Content> content = records.find(anchored.stream().map(a -> a.record().recordId()).toList());
        Map<Long, List<byte[]>> paths = proofs.inclusion(header.treeSize(), header.root(),
                anchored.stream().map(AnchoredRecord::leafIndex).toList());
        byte[] note = block.checkpoint().getBytes(StandardCharsets.UTF_8);
        String tsaCertificate = token.isPresent() ? chain.tsaCertificate().orElse(null) : null;
        Instant anchoredAt = Instant.ofEpochMilli(header.timeMillis());
        List<Event> out = new ArrayList<>(anchored.size());
        for (AnchoredRecord a : anchored) {
            BatchedRecord r = a.record();
            RecordsReader.Content c = content.get(r.recordId());
            if (c == null) {
                LOG.warnf("record %s (leaf %d) is not in the records collection; its receipt carries no content",
                        r.recordId(), a.leafIndex());
            }
            ReceiptBuilder b = new ReceiptBuilder()
                    .record(r.recordId(), r.tenant(), r.type(), a.digestHex(), c == null ? null : c.salt(),
                            c == null ? null : c.canonical(), Instant.ofEpochMilli(r.acceptedAtMillis()))
                    .leaf(a.leafIndex(), paths.get(a.leafIndex()), note)
                    .block(header);
            token.ifPresent(t -> b.timestamp(t, tsaCertificate));
            Receipt receipt = b.build();
            ObjectNode data = Json.MAPPER.createObjectNode().put("recordId", r.recordId()).put("type", r.type())
                    .put("digest", a.digestHex()).put("leafIndex", a.leafIndex()).put("blockHeight", header.height())
                    .put("treeSize", header.treeSize()).put("anchoredAt", anchoredAt.toString())
                    .put("signatures", block.signatures()).put("expectedSignatures", expectedSignatures)
                    .put("timestamped", token.isPresent());
            data.set("receipt", RECEIPTS.valueToTree(receipt));
            out.add(new Event(Event.idOf(EventTypes.RECORD_ANCHORED, r.recordId()), EventTypes.RECORD_ANCHORED, anchoredAt,
                    r.tenant(), c == null ? List.of() : c.gtins(), null, data));
        }
        return out;
    }
}
