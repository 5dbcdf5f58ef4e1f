package io.tracemark.proofs.merkle;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Small checks shared by everything that accepts hashes from outside. */
public final class Hashes {
    private static final HexFormat HEX = HexFormat.of();

    private Hashes() {
    }

    /**
     * Returns {@code hash} if it is exactly {@link Rfc9162Hasher#HASH_SIZE} bytes (RFC 9162 §2.1: SHA-256).
     *
     * @throws ProofException {@code hash.malformed} otherwise
     */
    public static byte[] requireHash(byte[] hash, String what) {
        if (hash == null) {
            throw new ProofException(ProofErrorCode.HASH_MALFORMED, what + " is missing");
        }
        if (hash.length != Rfc9162Hasher.HASH_SIZE) {
            throw new ProofException(ProofErrorCode.HASH_MALFORMED,
                    what + " is " + hash.length + " bytes, expected " + Rfc9162Hasher.HASH_SIZE);
        }
        return hash;
    }

    /** Returns whether two hashes are byte-for-byte equal. */
    public static boolean equal(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    /** Returns lowercase hex of the bytes, for diagnostics. */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
