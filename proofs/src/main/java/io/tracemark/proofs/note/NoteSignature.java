package io.tracemark.proofs.note;

import io.tracemark.proofs.StrictBase64;
import java.util.Arrays;

/**
 * One signature line of a signed note: {@code — <name> base64(keyID ‖ signature)}
 * (C2SP signed-note "Signatures").
 *
 * @param name key name on the line
 * @param keyId the 32-bit key ID prefix
 * @param signature raw signature bytes, without the key ID
 */
public record NoteSignature(String name, int keyId, byte[] signature) {
    /** Validates the name and copies the signature. */
    public NoteSignature {
        if (!NoteKeys.isValidKeyName(name)) {
            throw new IllegalArgumentException("invalid key name");
        }
        if (signature == null || signature.length == 0) {
            throw new IllegalArgumentException("empty signature");
        }
        signature = signature.clone();
    }

    /** Returns a copy of the raw signature bytes. */
    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Returns whether this and {@code other} come from the same key (same name and key ID). */
    public boolean sameKey(NoteSignature other) {
        return keyId == other.keyId && name.equals(other.name);
    }

    /** Returns base64(keyID ‖ signature) as it appears on the signature line. */
    public String base64() {
        byte[] b = new byte[4 + signature.length];
        b[0] = (byte) (keyId >>> 24);
        b[1] = (byte) (keyId >>> 16);
        b[2] = (byte) (keyId >>> 8);
        b[3] = (byte) keyId;
        System.arraycopy(signature, 0, b, 4, signature.length);
        return StrictBase64.encode(b);
    }

    /** Returns the full signature line, EM DASH, space, name, space, base64 and newline. */
    public String line() {
        return "\u2014 " + name + " " + base64() + "\n";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteSignature s && sameKey(s) && Arrays.equals(s.signature, signature);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + keyId) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return line().strip();
    }
}
