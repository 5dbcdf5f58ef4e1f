package io.tracemark.proofs;

import java.util.HexFormat;

/**
 * Thrown when a proof, signature or encoding fails verification or strict parsing.
 *
 * <p>Unchecked so that verification composes through lambdas such as hash readers and tile
 * fetchers; every public method that can throw it documents so.
 */
public final class ProofException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final HexFormat HEX = HexFormat.of();

    private final ProofErrorCode errorCode;

    /** Creates an exception with a stable code and a human-readable message. */
    public ProofException(ProofErrorCode errorCode, String message) {
        super(errorCode.code() + ": " + message);
        this.errorCode = errorCode;
    }

    /** Creates an exception with a stable code, message and underlying cause. */
    public ProofException(ProofErrorCode errorCode, String message, Throwable cause) {
        super(errorCode.code() + ": " + message, cause);
        this.errorCode = errorCode;
    }

    /** Creates a mismatch exception whose message names expected and computed values in hex. */
    public static ProofException mismatch(ProofErrorCode errorCode, String what, byte[] expected, byte[] computed) {
        return new ProofException(errorCode,
                what + " mismatch: expected " + hex(expected) + " computed " + hex(computed));
    }

    /** Returns the stable machine-readable code, e.g. {@code inclusion.root.mismatch}. */
    public String code() {
        return errorCode.code();
    }

    /** Returns the code as an enum constant for exhaustive handling. */
    public ProofErrorCode errorCode() {
        return errorCode;
    }

    private static String hex(byte[] b) {
        return b == null ? "<null>" : HEX.formatHex(b);
    }
}
