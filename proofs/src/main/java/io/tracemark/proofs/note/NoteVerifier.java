package io.tracemark.proofs.note;

/**
 * A public key that can verify signed-note signatures, identified by (name, key ID)
 * (C2SP signed-note "Signatures").
 */
public interface NoteVerifier {
    /** Returns the key name, which appears on signature lines. */
    String name();

    /** Returns the 32-bit key ID that prefixes every signature by this key. */
    int keyId();

    /** Returns whether {@code signature} (without its key ID prefix) is valid over {@code message}. */
    boolean verify(byte[] message, byte[] signature);

    /** Returns the encoded verifier key string, e.g. {@code name+hex8+base64(type‖key)}. */
    String verifierKey();
}
