package io.tracemark.verify.receipts;

import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.note.Note;
import io.tracemark.verify.chain.ChainNodeClient;
import io.tracemark.verify.chain.TrustPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import com.fasterxml.jackson.databind.JsonNode;
import io.tracemark.proofs.ledger.BlockHeader;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptBuilder;
import org.bson.Document;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the public receipt of an anchored record: its canonical bytes and digest, leaf index,
 * RFC 9162 inclusion proof against the latest multi-signed checkpoint, the verifier keys in force
 * and, when the chain node has one, the RFC 3161 time-stamp response over that checkpoint.
 */
@ApplicationScoped
public class ReceiptAssembler {
    private final ChainNodeClient chain;
    private final TrustPolicy trust;

    public ReceiptAssembler(ChainNodeClient chain, TrustPolicy trust) {
        this.chain = chain;
        this.trust = trust;
    }

    /** The receipt fields, in a stable order; {@code anchor} must be in state {@code anchored}. */
    public Map<String, Object> receipt(Document record, Document anchor) {
        long leafIndex = ((Number) anchor.get("leafIndex")).longValue();
        String note = chain.checkpoint();
        Checkpoint cp = parseCheckpoint(note);
        if (cp.size() <= leafIndex) {
            throw new ProblemException(Problem.of("chain-lagging", 503, "The ledger replica has not caught up yet")
                    .retriable(true).build());
        }
        List<byte[]> proof = chain.inclusionProof(leafIndex, cp.size());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("recordId", record.getString("_id"));
        body.put("type", record.getString("type"));
        body.put("digest", record.getString("digest"));
        body.put("salt", record.getString("salt"));
        body.put("canonical", record.getString("canonical"));
        body.put("leafIndex", leafIndex);
        body.put("blockHeight", anchor.get("blockHeight"));
        body.put("treeSize", cp.size());
        body.put("inclusionProof", proof.stream().map(h -> Base64.getEncoder().encodeToString(h)).toList());
        body.put("checkpoint", note);
        body.put("origin", cp.origin());
        body.put("verifierKeys", trust.current().verifierKeys());
        chain.timestamp(cp.size()).map(ReceiptAssembler::token)
                .ifPresent(t -> body.put("timestampToken", Base64.getEncoder().encodeToString(t)));
        return body;
    }

    /**
     * The {@code proofs} receipt bundle ({@link Receipt#FORMAT}): anchored at the checkpoint of the block that
     * sealed the record, so it never changes and verifies offline with {@code ReceiptVerifier}.
     */
    public Receipt bundle(Document record, Document anchor) {
        long leafIndex = ((Number) anchor.get("leafIndex")).longValue();
        long height = ((Number) anchor.get("blockHeight")).longValue();
        JsonNode block = chain.block(height).orElseThrow(() -> new ProblemException(Problem.of("chain-lagging", 503,
                "The ledger replica has not caught up yet").retriable(true).build()));
        JsonNode h = block.path("header");
        HexFormat hex = HexFormat.of();
        BlockHeader header = new BlockHeader(h.path("height").asLong(), hex.parseHex(h.path("previousHash").asText()),
                h.path("firstLeafIndex").asLong(), h.path("leafCount").asLong(), h.path("treeSize").asLong(),
                hex.parseHex(h.path("root").asText()), h.path("timeMillis").asLong());
        String note = block.path("checkpoint").asText();
        List<byte[]> proof = chain.inclusionProof(leafIndex, header.treeSize());
        Object accepted = anchor.get("acceptedAt");
        ReceiptBuilder b = new ReceiptBuilder()
                .record(record.getString("_id"), record.getString("tenant"), record.getString("type"),
                        record.getString("digest"), record.getString("salt"), record.getString("canonical"),
                        accepted instanceof java.util.Date d ? d.toInstant() : null)
                .leaf(leafIndex, proof, note.getBytes(StandardCharsets.UTF_8))
                .block(header);
        chain.timestamp(header.treeSize()).ifPresent(t -> b.timestamp(t, trust.current().tsaCertificate()));
        return b.build();
    }

    /** The RFC 3161 token (a CMS ContentInfo) inside the ledger's TimeStampResp, or null if it granted none. */
    static byte[] token(byte[] timeStampResp) {
        try {
            TimeStampToken t = new TimeStampResponse(timeStampResp).getTimeStampToken();
            return t == null ? null : t.getEncoded();
        } catch (Exception e) {
            return null;
        }
    }

    /** Parses the checkpoint body of a signed note, as a 503 if the ledger served something unreadable. */
    static Checkpoint parseCheckpoint(String note) {
        try {
            return Checkpoint.parse(Note.parse(note.getBytes(StandardCharsets.UTF_8)).text());
        } catch (ProofException e) {
            throw new ProblemException(Problem.of("chain-unavailable", 503, "The ledger returned an unreadable checkpoint")
                    .retriable(true).build());
        }
    }
}
