package io.tracemark.verify.receipts;

import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.note.Note;
import io.tracemark.verify.anchoring.Anchoring;
import io.tracemark.verify.anchoring.SealedBlock;
import io.tracemark.verify.anchoring.SealedBlocks;
import io.tracemark.verify.chain.ChainNodeClient;
import io.tracemark.verify.chain.TrustPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptBuilder;
import io.tracemark.proofs.receipt.TimeAuthorities;
import io.tracemark.proofs.receipt.TimestampTokens;
import io.tracemark.proofs.receipt.WitnessEvidence;
import io.tracemark.contracts.ledger.AuthorityTimestamps;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampToken;
import org.bson.Document;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import io.tracemark.contracts.records.RecordContent;

import java.util.Date;
import java.util.List;

/**
 * Builds the receipt ({@link Receipt#FORMAT}) of an anchored record: its canonical bytes and digest, and an
 * RFC 9162 inclusion proof against the checkpoint of the block that first included it (from attest's
 * per-block facts, with every replica signature merged so far), that block's header and, when the chain
 * node stamped it, the RFC 3161 token over that same checkpoint, never a later one; the external authorities'
 * tokens over it that the chain node holds when the receipt is asked for (naming those it lacks); and the freshest
 * witness evidence (a witnessed checkpoint extending that one, with the consistency proof to it).
 */
@ApplicationScoped
public class ReceiptAssembler {
    private final ChainNodeClient chain;
    private final SealedBlocks blocks;
    private final TrustPolicy trust;

    public ReceiptAssembler(ChainNodeClient chain, SealedBlocks blocks, TrustPolicy trust) {
        this.chain = chain;
        this.blocks = blocks;
        this.trust = trust;
    }

    /**
     * The receipt, anchored at the checkpoint of the block that sealed the record, so it changes only while
     * replicas cosign that checkpoint and verifies offline with proofs' {@code ReceiptVerifier}.
     */
    public Receipt receipt(Document record, Anchoring anchoring) {
        Sealed s = sealed(anchoring);
        Object received = record.get("receivedAt");
        // A private or erased record's receipt proves its digest only; whoever holds its text proves the rest.
        boolean open = record.get(RecordContent.ERASED_AT) == null
                && RecordContent.isPublic(record.getString("type"), record.getString(RecordContent.VISIBILITY));
        ReceiptBuilder b = new ReceiptBuilder()
                .record(record.getString("_id"), record.getString("tenant"), record.getString("type"),
                        record.getString("digest"), open ? record.getString(RecordContent.SALT) : null,
                        open ? record.getString(RecordContent.CANONICAL) : null,
                        received instanceof Date d ? d.toInstant() : null)
                .leaf(anchoring.leafIndex(), s.proof(), s.block().checkpoint().getBytes(StandardCharsets.UTF_8))
                .block(s.block().header())
                .witnessing(witnessing(s.block().header().treeSize()));
        chain.timestamp(s.block().header().treeSize()).ifPresent(t -> b.timestamp(t, signerOf(t)));
        chain.authorities(s.block().header().treeSize()).ifPresent(a -> b.authorities(timeAuthorities(a)));
        return b.build();
    }

    /** The chain node's answer as the receipt carries it: tokens by authority; pending and missing both as missing. */
    static TimeAuthorities timeAuthorities(AuthorityTimestamps a) {
        List<String> missing = new java.util.ArrayList<>(a.pending());
        missing.addAll(a.missing());
        return new TimeAuthorities(a.tokens().stream().map(t -> new TimeAuthorities.Token(t.name(), t.token())).toList(),
                missing);
    }

    /**
     * The freshest witness evidence for the checkpoint of {@code size}: witnesses cosign after a checkpoint is served
     * and may skip sizes, so this is often a later checkpoint, with the consistency proof from the receipt's.
     */
    private WitnessEvidence witnessing(long size) {
        try {
            return chain.witnessed(size).orElseGet(() -> WitnessEvidence.unwitnessed("no checkpoint of size " + size
                    + " or more is witnessed yet (the log has no witnesses, or they have not cosigned yet); "
                    + "this receipt is served with their cosignatures once they have"));
        } catch (ProblemException e) {
            return WitnessEvidence.unwitnessed("the ledger could not serve witness evidence when this receipt was made");
        }
    }

    /** The PEM certificate of the trusted TSA that signed a time-stamp, carried in the receipt as a hint; or null. */
    private String signerOf(byte[] timeStampResp) {
        try {
            TimeStampToken token = new TimeStampToken(new CMSSignedData(TimestampTokens.tokenBytes(timeStampResp)));
            for (String pem : trust.current().tsaCertificates()) {
                if (token.getSID().match(TimestampTokens.parseCertificatePem(pem))) {
                    return pem;
                }
            }
        } catch (CMSException | TSPException | IOException | IllegalArgumentException e) {
            // Whatever it is, the verifier judges it; the hint is only left out.
        }
        return null;
    }

    /** The record's block facts, their checkpoint and the leaf's inclusion proof at that checkpoint's size. */
    private record Sealed(SealedBlock block, Checkpoint checkpoint, List<byte[]> proof) {
    }

    private Sealed sealed(Anchoring anchoring) {
        // Read afresh, not from the anchoring cache: the block's note gains signatures as replicas cosign it.
        SealedBlock block = blocks.find(anchoring.blockHeight()).orElseThrow(() -> ChainNodeClient.unavailable(
                "the facts of block " + anchoring.blockHeight() + " are missing"));
        Checkpoint cp = parseCheckpoint(block.checkpoint());
        if (cp.size() != block.header().treeSize()) {
            throw ChainNodeClient.unavailable("the checkpoint of block " + block.height() + " is not at its tree size");
        }
        List<byte[]> proof = chain.inclusionIfReached(anchoring.leafIndex(), cp.size())
                .orElseThrow(() -> new ProblemException(Problem.of("chain-lagging", 503,
                        "The ledger replica has not caught up yet").retriable(true).build()))
                .hashes();
        return new Sealed(block, cp, proof);
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
