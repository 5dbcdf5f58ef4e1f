package io.tracemark.proofs.cosignature;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import java.nio.ByteBuffer;

/**
 * A {@code timestamped_signature}: big-endian u64 POSIX timestamp then the 64-byte Ed25519 signature
 * (C2SP tlog-cosignature "Format"). It is what follows the key ID on a cosignature line.
 *
 * @param timestamp when the cosigner signed, POSIX seconds, at most 2^63-1
 * @param signature the 64-byte Ed25519 signature
 */
public record TimestampedSignature(long timestamp, byte[] signature) {
    /** Encoded length for Ed25519: 8 timestamp bytes and 64 signature bytes. */
    public static final int ED25519_LENGTH = 8 + 64;

    /** Validates the range and length, and copies the signature. */
    public TimestampedSignature {
        if (timestamp < 0) {
            throw malformed("timestamp exceeds 2^63-1");
        }
        if (signature == null || signature.length != 64) {
            throw malformed("Ed25519 signature must be 64 bytes");
        }
        signature = signature.clone();
    }

    /**
     * Decodes the bytes after a cosignature line's key ID.
     *
     * @throws ProofException {@code cosignature.malformed} for a length other than 72 bytes or a
     *     timestamp above 2^63-1
     */
    public static TimestampedSignature parse(byte[] raw) {
        if (raw == null || raw.length != ED25519_LENGTH) {
            throw malformed("timestamped Ed25519 signature must be " + ED25519_LENGTH + " bytes, got "
                    + (raw == null ? 0 : raw.length));
        }
        ByteBuffer in = ByteBuffer.wrap(raw);
        long timestamp = in.getLong();
        byte[] sig = new byte[64];
        in.get(sig);
        return new TimestampedSignature(timestamp, sig);
    }

    /** Returns a copy of the Ed25519 signature. */
    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Encodes timestamp then signature, as carried on the note signature line. */
    public byte[] encode() {
        return ByteBuffer.allocate(ED25519_LENGTH).putLong(timestamp).put(signature).array();
    }

    private static ProofException malformed(String why) {
        return new ProofException(ProofErrorCode.COSIGNATURE_MALFORMED, why);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimestampedSignature t && t.timestamp == timestamp
                && java.util.Arrays.equals(t.signature, signature);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(timestamp) * 31 + java.util.Arrays.hashCode(signature);
    }
}
