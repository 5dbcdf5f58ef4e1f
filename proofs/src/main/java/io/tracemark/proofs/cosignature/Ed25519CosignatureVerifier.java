package io.tracemark.proofs.cosignature;

import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.note.Ed25519NoteVerifier;
import io.tracemark.proofs.note.NoteKeys;
import io.tracemark.proofs.note.NoteVerifier;
import java.util.OptionalLong;

/**
 * Verifies Ed25519 {@code cosignature/v1} signatures of one cosigner (C2SP tlog-cosignature).
 *
 * <p>It is a {@link NoteVerifier}, so it goes into a {@link io.tracemark.proofs.note.VerifierSet} next to
 * log keys and {@link io.tracemark.proofs.note.Notes#open} checks cosignature lines like any other:
 * the key ID uses type 0x04, and {@link #verify} rebuilds the signed message from the note text and
 * the line's timestamp.
 */
public final class Ed25519CosignatureVerifier implements NoteVerifier {
    private final String name;
    private final int keyId;
    // Only the raw RFC 8032 check is borrowed; its own (type 0x01) key ID is never used.
    private final Ed25519NoteVerifier ed25519;

    private Ed25519CosignatureVerifier(String name, Ed25519NoteVerifier ed25519) {
        this.name = name;
        this.ed25519 = ed25519;
        this.keyId = CosignatureV1.keyId(name, ed25519.publicKey());
    }

    /**
     * A verifier for cosigner {@code name} with the 32-byte Ed25519 public key.
     *
     * @throws ProofException {@code note.key.malformed} for a bad name or key
     */
    public static Ed25519CosignatureVerifier of(String name, byte[] publicKey) {
        return new Ed25519CosignatureVerifier(name, Ed25519NoteVerifier.of(name, publicKey));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int keyId() {
        return keyId;
    }

    /** Returns a copy of the 32-byte public key. */
    public byte[] publicKey() {
        return ed25519.publicKey();
    }

    /**
     * Returns whether {@code signature} is a {@code timestamped_signature} whose Ed25519 signature
     * verifies over the {@code cosignature/v1} message for {@code noteText} at its timestamp.
     */
    @Override
    public boolean verify(byte[] noteText, byte[] signature) {
        return verifiedTimestamp(noteText, signature).isPresent();
    }

    /** Like {@link #verify}, returning the cosignature's timestamp when it verifies. */
    public OptionalLong verifiedTimestamp(byte[] noteText, byte[] signature) {
        TimestampedSignature ts;
        try {
            ts = TimestampedSignature.parse(signature);
        } catch (ProofException e) {
            return OptionalLong.empty();
        }
        boolean ok = ed25519.verify(CosignatureV1.signedMessage(noteText, ts.timestamp()), ts.signature());
        return ok ? OptionalLong.of(ts.timestamp()) : OptionalLong.empty();
    }

    /** Returns the vkey {@code name+hex8keyid+base64(0x04‖publicKey)}. */
    @Override
    public String verifierKey() {
        return NoteKeys.encodeVerifierKey(name, keyId, CosignatureV1.TYPE_ED25519, ed25519.publicKey());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ed25519CosignatureVerifier v && v.name.equals(name) && v.ed25519.equals(ed25519);
    }

    @Override
    public int hashCode() {
        return ed25519.hashCode() * 31 + CosignatureV1.TYPE_ED25519;
    }

    @Override
    public String toString() {
        return verifierKey();
    }
}
