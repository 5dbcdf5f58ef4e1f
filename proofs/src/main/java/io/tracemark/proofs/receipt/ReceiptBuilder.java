package io.tracemark.proofs.receipt;

import io.tracemark.proofs.StrictBase64;
import io.tracemark.proofs.ledger.BlockHeader;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteSignature;
import io.tracemark.proofs.tlogproof.TlogProof;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Assembles a {@link Receipt} from plain inputs, so every service (attest for events, verify for its
 * public endpoint) builds byte-identical receipts from the same facts.
 *
 * <pre>{@code
 * Receipt r = new ReceiptBuilder()
 *     .record(id, tenant, type, digestHex, salt, canonical, acceptedAt)
 *     .leaf(leafIndex, proofHashes, signedCheckpoint)
 *     .block(header)
 *     .timestamp(tokenOrResponseDer, tsaCertificatePem)
 *     .build();
 * }</pre>
 */
public final class ReceiptBuilder {
    private static final HexFormat HEX = HexFormat.of();

    private Receipt.RecordInfo record;
    private Long leafIndex;
    private List<byte[]> proofHashes;
    private byte[] signedCheckpoint;
    private List<String> signers;
    private BlockHeader block;
    private Receipt.Timestamp timestamp;
    private WitnessEvidence witnessing;
    private TimeAuthorities authorities;

    /**
     * Sets the record. {@code salt} and {@code canonical} are {@code null} when the content was erased;
     * the digest stays, since it is what the log holds.
     */
    public ReceiptBuilder record(String id, String tenant, String type, String digestHex, String salt,
            String canonical, Instant acceptedAt) {
        Objects.requireNonNull(id, "id");
        if (digestHex == null || !digestHex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("digest must be 64 lowercase hex digits");
        }
        this.record = new Receipt.RecordInfo(id, tenant, type, digestHex, salt, canonical,
                acceptedAt == null ? null : acceptedAt.toString());
        return this;
    }

    /**
     * Sets the leaf: its index, the RFC 9162 inclusion proof hashes (leaf sibling first) and the
     * signed checkpoint note the proof is against.
     */
    public ReceiptBuilder leaf(long index, List<byte[]> hashes, byte[] signedCheckpointNote) {
        return leaf(index, hashes, signedCheckpointNote, signersOf(signedCheckpointNote));
    }

    /**
     * Sets the leaf as {@link #leaf(long, List, byte[])} does, with the checkpoint's signer names already read by
     * {@link #signersOf} (once for the many receipts of one checkpoint).
     */
    public ReceiptBuilder leaf(long index, List<byte[]> hashes, byte[] signedCheckpointNote, List<String> signers) {
        this.leafIndex = index;
        this.proofHashes = List.copyOf(hashes);
        this.signedCheckpoint = signedCheckpointNote.clone();
        this.signers = List.copyOf(signers);
        return this;
    }

    /** The distinct names of the keys that signed a checkpoint note, in note order. */
    public static List<String> signersOf(byte[] signedCheckpointNote) {
        return Note.parse(signedCheckpointNote).signatures().stream().map(NoteSignature::name).distinct().toList();
    }

    /** Sets the header of the block that sealed the leaf. */
    public ReceiptBuilder block(BlockHeader header) {
        this.block = header;
        return this;
    }

    /**
     * Sets the RFC 3161 token; {@code der} may be a {@code TimeStampResp} or a bare token, and the
     * certificate PEM may be {@code null}.
     *
     * @throws IllegalArgumentException if {@code der} is neither
     */
    public ReceiptBuilder timestamp(byte[] der, String tsaCertificatePem) {
        return timestamp(timestampOf(der, tsaCertificatePem));
    }

    /** Sets a time-stamp made once by {@link #timestampOf}, for the many receipts of one checkpoint. */
    public ReceiptBuilder timestamp(Receipt.Timestamp t) {
        this.timestamp = t;
        return this;
    }

    /**
     * Sets the external time-stamping authorities' tokens over the same checkpoint and the authorities
     * without one; {@code null} or empty leaves the receipt without the section.
     */
    public ReceiptBuilder authorities(TimeAuthorities a) {
        this.authorities = a == null || a.isEmpty() ? null : a;
        return this;
    }

    /** The receipt's time-stamp from a DER {@code TimeStampToken} or {@code TimeStampResp} and the TSA certificate. */
    public static Receipt.Timestamp timestampOf(byte[] der, String tsaCertificatePem) {
        return new Receipt.Timestamp(StrictBase64.encode(TimestampTokens.tokenBytes(der)), tsaCertificatePem);
    }

    /** Sets the witness evidence (or why there is none) for the receipt's checkpoint. */
    public ReceiptBuilder witnessing(WitnessEvidence evidence) {
        this.witnessing = evidence;
        return this;
    }

    /**
     * Builds the receipt.
     *
     * @throws IllegalStateException if record, leaf or block is missing
     * @throws io.tracemark.proofs.ProofException {@code tlogproof.malformed} if the checkpoint or proof is malformed
     */
    public Receipt build() {
        if (record == null || leafIndex == null || block == null) {
            throw new IllegalStateException("a receipt needs record, leaf and block");
        }
        TlogProof proof = new TlogProof(null, leafIndex, proofHashes, signedCheckpoint);
        Receipt.Block b = new Receipt.Block(block.height(), HEX.formatHex(block.previousHash()), block.firstLeafIndex(),
                block.leafCount(), block.treeSize(), HEX.formatHex(block.root()), block.timeMillis(),
                HEX.formatHex(block.hash()));
        return new Receipt(Receipt.FORMAT, record, leafIndex,
                new String(proof.encode(), StandardCharsets.UTF_8), b, timestamp, signers, witnessing, authorities);
    }
}
