package io.tracemark.proofs.witness;

import io.tracemark.proofs.CanonicalDecimal;
import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;

/**
 * The body of a witness's {@code 409 Conflict} answer: the size of the latest checkpoint it cosigned,
 * in decimal, then a newline, served as {@code text/x.tlog.size} (C2SP tlog-witness "add-checkpoint").
 */
public final class TlogSize {
    /** The media type of a 409 body. */
    public static final String CONTENT_TYPE = "text/x.tlog.size";

    private TlogSize() {
    }

    /** Encodes {@code size} followed by a newline. */
    public static String encode(long size) {
        return size + "\n";
    }

    /**
     * Parses a 409 body.
     *
     * @throws ProofException {@code witness.request.malformed} unless it is a canonical decimal and a newline
     */
    public static long parse(String body) {
        if (body == null || !body.endsWith("\n")) {
            throw new ProofException(ProofErrorCode.WITNESS_REQUEST_MALFORMED, "tree size must end with a newline");
        }
        return CanonicalDecimal.parse(body.substring(0, body.length() - 1), ProofErrorCode.WITNESS_REQUEST_MALFORMED,
                "tree size");
    }
}
