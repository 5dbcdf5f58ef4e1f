package io.tracemark.proofs.note;

import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** An Ed25519 signed-note verifier, signature type 0x01 (C2SP signed-note "Ed25519 signatures"). */
public final class Ed25519NoteVerifier implements NoteVerifier {
    private static final int KEY_SIZE = Ed25519PublicKeyParameters.KEY_SIZE;
    private static final int SIG_SIZE = 64;

    private final String name;
    private final byte[] publicKey;
    private final Ed25519PublicKeyParameters params;
    private final int keyId;

    private Ed25519NoteVerifier(String name, byte[] publicKey) {
        this.name = name;
        this.publicKey = publicKey;
        this.params = new Ed25519PublicKeyParameters(publicKey, 0);
        this.keyId = NoteKeys.keyId(name, NoteKeys.TYPE_ED25519, publicKey);
    }

    /**
     * Creates a verifier for the 32-byte RFC 8032 public key, with the key ID recommended by
     * C2SP signed-note.
     *
     * @throws io.tracemark.proofs.ProofException {@code note.key.malformed} for a bad name or key size
     */
    public static Ed25519NoteVerifier of(String name, byte[] publicKey) {
        if (!NoteKeys.isValidKeyName(name)) {
            throw NoteKeys.keyError("invalid key name");
        }
        if (publicKey == null || publicKey.length != KEY_SIZE) {
            throw NoteKeys.keyError("Ed25519 public key must be " + KEY_SIZE + " bytes");
        }
        try {
            return new Ed25519NoteVerifier(name, publicKey.clone());
        } catch (IllegalArgumentException e) {
            throw NoteKeys.keyError("Ed25519 public key is not a valid curve point");
        }
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
        return publicKey.clone();
    }

    /** Verifies a pure Ed25519 (RFC 8032) signature over the note text bytes. */
    @Override
    public boolean verify(byte[] message, byte[] signature) {
        if (signature == null || signature.length != SIG_SIZE) {
            return false;
        }
        // Ed25519Signer buffers state, so a fresh one per call keeps this verifier thread-safe.
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, params);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    /** Returns {@code name+hex8keyid+base64(0x01‖publicKey)}. */
    @Override
    public String verifierKey() {
        return NoteKeys.encodeVerifierKey(name, keyId, NoteKeys.TYPE_ED25519, publicKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ed25519NoteVerifier v && v.name.equals(name) && Arrays.equals(v.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return verifierKey();
    }
}
