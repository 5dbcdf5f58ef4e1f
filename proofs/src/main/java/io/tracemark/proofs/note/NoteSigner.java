package io.tracemark.proofs.note;

/** A private key that produces signed-note signatures (C2SP signed-note "Signatures"). */
public interface NoteSigner {
    /** Returns the key name to put on signature lines. */
    String name();

    /** Returns the 32-bit key ID that prefixes every signature by this key. */
    int keyId();

    /** Returns the raw signature over {@code message}, without the key ID prefix. */
    byte[] sign(byte[] message);

    /** Returns the matching verifier. */
    NoteVerifier verifier();
}
