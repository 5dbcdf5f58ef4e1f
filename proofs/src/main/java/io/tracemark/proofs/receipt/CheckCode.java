package io.tracemark.proofs.receipt;

/**
 * Stable codes of receipt checks: the one vocabulary of the offline verifier ({@link ReceiptVerifier},
 * the CLI), the public verification API and the browser. Verifiers and user interfaces switch on these
 * strings, so they are never renamed.
 *
 * <p>The first group is what {@link ReceiptVerifier} checks from the receipt alone. The second group
 * needs the live log or registry and is added by an online verifier (verify-service's
 * {@code POST /v1/verify}); offline tools never report them.
 */
public final class CheckCode {
    /** The receipt parses and has the expected format identifier. */
    public static final String RECEIPT_FORMAT = "receipt.format.valid";
    /** SHA-256 of the canonical bytes equals the record digest, and the bytes are RFC 8785 canonical. */
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
    /** The RFC 3161 token is signed by a trusted TSA and stamps SHA-256 of the checkpoint text. */
    public static final String TIMESTAMP_TOKEN = "timestamp.token.valid";
    /**
     * The receipt's witnessed checkpoint is cosigned by k of the n trusted witnesses (C2SP tlog-cosignature) and
     * extends the receipt's checkpoint; the check names who cosigned and who is missing.
     */
    public static final String CHECKPOINT_WITNESSED = "checkpoint.witnessed";
    /**
     * Every external time-stamping authority's RFC 3161 token is signed by a trusted TSA certificate and
     * stamps SHA-256 of the checkpoint text; skipped when the receipt carries none.
     */
    public static final String AUTHORITY_TIMESTAMPS = "timestamp.authorities.valid";

    /** Online: the record the caller holds hashes to the receipt's digest. */
    public static final String RECORD_SUPPLIED = "record.supplied.match";
    /** Online: the file the caller holds has the SHA-256 the record registered. */
    public static final String FILE_DIGEST = "file.digest.match";
    /** Online: the log's latest trusted checkpoint extends the receipt's (RFC 9162 §2.1.4.2). */
    public static final String CHECKPOINT_CONSISTENT = "checkpoint.consistent";
    /** Online: no later record declares that it supersedes this one. */
    public static final String RECORD_SUPERSEDED = "record.superseded";
    /** Online: whether the registry still holds the record's content, and whether the public may read it. */
    public static final String RECORD_CONTENT = "record.content";
    /** Online: no other registrant registered the same or a near-duplicate work earlier. */
    public static final String CLAIM_PRIOR = "claim.prior.exists";

    private CheckCode() {
    }
}
