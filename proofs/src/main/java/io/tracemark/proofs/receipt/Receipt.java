package io.tracemark.proofs.receipt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * An offline-verifiable receipt that a record was logged: the record's digest (and, unless erased,
 * its salt and RFC 8785 canonical bytes), a C2SP tlog-proof of its leaf against a signed checkpoint,
 * the hash-chained header of the block that sealed it and an RFC 3161 token over that checkpoint.
 *
 * <p>The JSON form ({@link ReceiptJson}) is the public contract served by verify-service and carried
 * in {@code record.anchored} events; {@link #FORMAT} names its version. Its top-level fields come in the order
 * {@link #FIELD_ORDER} (sections added later are appended, so older receipts' bytes are a prefix-compatible shape);
 * absent optional sections are omitted.
 *
 * @param format           always {@link #FORMAT}
 * @param record           the record the receipt is about
 * @param leafIndex        the record's leaf index in the log
 * @param tlogProof        the C2SP {@code .tlog-proof} file, verbatim (ASCII header plus signed note)
 * @param block            the sealing block's header
 * @param timestamp        the RFC 3161 token over the checkpoint, or {@code null} when none was issued
 * @param verifierKeyNames names of the keys that signed the checkpoint, in signature order
 * @param witnessing       witness cosignatures on a checkpoint consistent with this one, or why there are none;
 *                         {@code null} in receipts made before witnessing
 * @param authorities      RFC 3161 tokens of external time-stamping authorities over the same checkpoint,
 *                         or {@code null} when none is configured ({@link TimeAuthorities})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"format", "record", "leafIndex", "tlogProof", "block", "timestamp", "verifierKeyNames", "witnessing",
        "authorities"})
public record Receipt(String format, RecordInfo record, long leafIndex, String tlogProof, Block block,
                      Timestamp timestamp, List<String> verifierKeyNames, WitnessEvidence witnessing,
                      TimeAuthorities authorities) {
    /** Format identifier of this receipt version. */
    public static final String FORMAT = "tracemark.dev/receipt@v1";
    /** The top-level JSON fields in the order they are written. */
    public static final List<String> FIELD_ORDER = List.of("format", "record", "leafIndex", "tlogProof", "block",
            "timestamp", "verifierKeyNames", "witnessing", "authorities");

    /** Copies the list. */
    public Receipt {
        verifierKeyNames = verifierKeyNames == null ? List.of() : List.copyOf(verifierKeyNames);
    }

    /** A receipt without a witnessing section or external time-stamping authorities. */
    public Receipt(String format, RecordInfo record, long leafIndex, String tlogProof, Block block,
                   Timestamp timestamp, List<String> verifierKeyNames) {
        this(format, record, leafIndex, tlogProof, block, timestamp, verifierKeyNames, null, null);
    }

    /** A receipt without external time-stamping authorities. */
    public Receipt(String format, RecordInfo record, long leafIndex, String tlogProof, Block block,
                   Timestamp timestamp, List<String> verifierKeyNames, WitnessEvidence witnessing) {
        this(format, record, leafIndex, tlogProof, block, timestamp, verifierKeyNames, witnessing, null);
    }

    /** A receipt without a witnessing section. */
    public Receipt(String format, RecordInfo record, long leafIndex, String tlogProof, Block block,
                   Timestamp timestamp, List<String> verifierKeyNames, TimeAuthorities authorities) {
        this(format, record, leafIndex, tlogProof, block, timestamp, verifierKeyNames, null, authorities);
    }

    /** This receipt with {@code evidence} as its witnessing section. */
    public Receipt withWitnessing(WitnessEvidence evidence) {
        return new Receipt(format, record, leafIndex, tlogProof, block, timestamp, verifierKeyNames, evidence,
                authorities);
    }

    /** This receipt with {@code section} as its external time-stamping authorities. */
    public Receipt withAuthorities(TimeAuthorities section) {
        return new Receipt(format, record, leafIndex, tlogProof, block, timestamp, verifierKeyNames, witnessing,
                section);
    }

    /**
     * The record: identity, digest and, unless erased, the exact bytes that were hashed.
     *
     * @param id         record id (ULID)
     * @param tenant     registering tenant
     * @param type       record type, e.g. {@code product.batch}
     * @param digest     hex SHA-256 of the canonical bytes; the log's leaf data
     * @param salt       the random per-record salt inside the canonical envelope, or {@code null} if erased
     * @param canonical  RFC 8785 canonical envelope as text (its UTF-8 bytes are hashed), or {@code null} if erased
     * @param acceptedAt ISO-8601 instant ingest accepted the record
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RecordInfo(String id, String tenant, String type, String digest, String salt, String canonical,
                             String acceptedAt) {
    }

    /**
     * A block header in JSON form (hashes hex), see {@link io.tracemark.proofs.ledger.BlockHeader}.
     *
     * @param hash the header's SHA-256, hex, as claimed by the log
     */
    public record Block(long height, String previousHash, long firstLeafIndex, long leafCount, long treeSize,
                        String root, long timeMillis, String hash) {
    }

    /**
     * An RFC 3161 time-stamp token over SHA-256 of the checkpoint note text.
     *
     * @param token          base64 DER {@code TimeStampToken} (RFC 3161 §2.4.2)
     * @param tsaCertificate PEM certificate of the TSA that signed it, or {@code null}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Timestamp(String token, String tsaCertificate) {
    }
}
