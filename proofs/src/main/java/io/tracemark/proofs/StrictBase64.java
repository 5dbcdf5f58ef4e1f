package io.tracemark.proofs;

import java.util.Base64;

/**
 * Canonical standard base64 (RFC 4648 §4) decoding for untrusted text formats.
 *
 * <p>The JDK decoder alone is not enough: it accepts missing padding and non-zero trailing bits,
 * so two different strings could decode to the same bytes. Signed notes, checkpoints and
 * tlog-proof files must have exactly one accepted encoding per value, so this wrapper re-encodes
 * and rejects anything that does not round-trip.
 */
public final class StrictBase64 {
    private StrictBase64() {
    }

    /**
     * Decodes {@code text} only if it is the canonical padded standard base64 encoding.
     *
     * @throws ProofException with {@code code} if the text is not canonical base64
     */
    public static byte[] decode(String text, ProofErrorCode code, String what) {
        byte[] out;
        try {
            out = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ProofException(code, what + " is not valid base64");
        }
        if (!Base64.getEncoder().encodeToString(out).equals(text)) {
            throw new ProofException(code, what + " is not canonical padded base64");
        }
        return out;
    }

    /** Encodes bytes as padded standard base64 (RFC 4648 §4). */
    public static String encode(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }
}
