package io.tracemark.proofs.canonical;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The 32-byte digest that identifies a record and is logged as leaf data: SHA-256 over the
 * record's RFC 8785 canonical JSON bytes. The log's leaf hash is then SHA-256(0x00 ‖ digest).
 */
public final class RecordDigest {
    private RecordDigest() {
    }

    /** Returns SHA-256 of already canonical bytes (see {@link CanonicalJson}). */
    public static byte[] sha256(byte[] canonical) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(canonical);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Canonicalizes a JSON text (RFC 8785) and returns its SHA-256.
     *
     * @throws io.tracemark.proofs.ProofException {@code canonical.invalid} if the text is not I-JSON
     */
    public static byte[] ofJson(String json) {
        return sha256(CanonicalJson.canonicalize(json));
    }
}
