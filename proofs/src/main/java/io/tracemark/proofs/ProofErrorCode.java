package io.tracemark.proofs;

/**
 * Stable, machine-readable reasons a proof, note or encoding was rejected.
 *
 * <p>The string {@link #code()} values are part of the public contract: services return them in
 * API errors and outside verifiers match on them, so they must never be renamed.
 */
public enum ProofErrorCode {
    /** A hash input was missing or not exactly 32 bytes. */
    HASH_MALFORMED("hash.malformed"),
    /** Inclusion proof leaf index is not below the tree size. */
    INCLUSION_INDEX_OUT_OF_RANGE("inclusion.index.out_of_range"),
    /** Inclusion proof has the wrong number of hashes for its index and tree size. */
    INCLUSION_PROOF_LENGTH("inclusion.proof.length"),
    /** Inclusion proof does not lead to the expected root. */
    INCLUSION_ROOT_MISMATCH("inclusion.root.mismatch"),
    /** Consistency proof requested between sizes that cannot be consistent (first > second). */
    CONSISTENCY_SIZE_INVALID("consistency.size.invalid"),
    /** Consistency proof has the wrong number of hashes for its tree sizes. */
    CONSISTENCY_PROOF_LENGTH("consistency.proof.length"),
    /** Consistency proof does not reproduce one of the two roots. */
    CONSISTENCY_ROOT_MISMATCH("consistency.root.mismatch"),
    /** A tile path is not in the exact C2SP tlog-tiles syntax. */
    TILE_PATH_MALFORMED("tile.path.malformed"),
    /** Tile bytes have the wrong length for the tile they claim to be. */
    TILE_MALFORMED("tile.malformed"),
    /** Tile contents do not authenticate against the tree head or parent tile. */
    TILE_HASH_MISMATCH("tile.hash.mismatch"),
    /** An entry bundle is truncated, oversized or does not match its tile. */
    BUNDLE_MALFORMED("bundle.malformed"),
    /** A signed note violates the C2SP signed-note syntax. */
    NOTE_MALFORMED("note.malformed"),
    /** A verifier or signer key string is malformed or its key ID does not match. */
    NOTE_KEY_MALFORMED("note.key.malformed"),
    /** Two different trusted keys share the same name and key ID. */
    NOTE_KEY_AMBIGUOUS("note.key.ambiguous"),
    /** No signature on the note is from a trusted key. */
    NOTE_UNVERIFIED("note.unverified"),
    /** Two notes being merged have different texts. */
    NOTE_TEXT_MISMATCH("note.text.mismatch"),
    /** Two notes being merged carry different signatures from the same key. */
    NOTE_SIGNATURE_CONFLICT("note.signature.conflict"),
    /** A signature from a trusted key does not verify. */
    SIGNATURE_INVALID("signature.invalid"),
    /** Fewer trusted keys signed than the required threshold. */
    SIGNATURE_THRESHOLD("signature.threshold"),
    /** A checkpoint body violates the C2SP tlog-checkpoint syntax. */
    CHECKPOINT_MALFORMED("checkpoint.malformed"),
    /** A checkpoint names a different log origin than expected. */
    CHECKPOINT_ORIGIN_MISMATCH("checkpoint.origin.mismatch"),
    /** A .tlog-proof file violates the C2SP tlog-proof syntax. */
    TLOG_PROOF_MALFORMED("tlogproof.malformed"),
    /** JSON input cannot be canonicalized under RFC 8785. */
    CANONICAL_INVALID("canonical.invalid"),
    /** A cosignature is not a C2SP tlog-cosignature timestamped_signature (wrong length, timestamp ≥ 2^63). */
    COSIGNATURE_MALFORMED("cosignature.malformed"),
    /** A witness cosignature is timestamped later than the verifier's clock allows. */
    COSIGNATURE_TIMESTAMP_FUTURE("cosignature.timestamp.future"),
    /** Fewer trusted witnesses cosigned a checkpoint than the witness policy requires. */
    WITNESS_THRESHOLD("witness.threshold"),
    /** A receipt carries no witnessed checkpoint although the verifier requires witness cosignatures. */
    WITNESS_EVIDENCE_MISSING("witness.evidence.missing"),
    /** A C2SP tlog-witness add-checkpoint request body violates the protocol's syntax. */
    WITNESS_REQUEST_MALFORMED("witness.request.malformed"),
    /** A leaf-absence statement body violates its syntax (docs/absence.md). */
    ABSENCE_MALFORMED("absence.malformed"),
    /** A leaf-absence statement names another log origin than expected. */
    ABSENCE_ORIGIN_MISMATCH("absence.origin.mismatch"),
    /** A leaf-absence statement is about another hash than the one asked for. */
    ABSENCE_HASH_MISMATCH("absence.hash.mismatch");

    private final String code;

    ProofErrorCode(String code) {
        this.code = code;
    }

    /** Returns the stable dotted identifier, e.g. {@code inclusion.root.mismatch}. */
    public String code() {
        return code;
    }
}
