package io.tracemark.proofs.receipt;

/**
 * Stable codes of receipt checks. Verifiers and user interfaces switch on these strings, so they
 * are never renamed.
 */
public final class CheckCode {
    /** The receipt parses and has the expected format identifier. */
    public static final String RECEIPT_FORMAT = "receipt.format.valid";
    /** SHA-256 of the canonical bytes equals the record digest. */
    public static final String RECORD_DIGEST = "record.digest.match";
    /** The canonical envelope names the same id, tenant, type and salt as the receipt. */
    public static final String RECORD_FIELDS = "record.fields.match";
    /** The receipt's leaf index is the index the tlog-proof proves. */
    public static final String LEAF_INDEX = "leaf.index.match";
    /** The checkpoint is signed by at least the threshold of trusted keys for the expected origin. */
    public static final String CHECKPOINT_SIGNATURE = "checkpoint.signature.valid";
    /** The inclusion proof leads from the record's leaf hash to the checkpoint root (RFC 9162 §2.1.3.2). */
    public static final String INCLUSION_PROOF = "inclusion.proof.valid";
    /** The block header hashes to its stated hash, covers the leaf and matches the checkpoint. */
    public static final String BLOCK_HEADER = "block.header.valid";
    /** The RFC 3161 token is signed by the TSA and stamps SHA-256 of the checkpoint text. */
    public static final String TIMESTAMP_TOKEN = "timestamp.token.valid";

    private CheckCode() {
    }
}
