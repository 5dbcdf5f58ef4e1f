package io.tracemark.proofs.note;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** An Ed25519 signed-note signer, signature type 0x01 (C2SP signed-note "Ed25519 signatures"). */
public final class Ed25519NoteSigner implements NoteSigner {
    private static final int SEED_SIZE = Ed25519PrivateKeyParameters.KEY_SIZE;

    private final Ed25519PrivateKeyParameters params;
    private final Ed25519NoteVerifier verifier;

    private Ed25519NoteSigner(String name, byte[] seed) {
        this.params = new Ed25519PrivateKeyParameters(seed, 0);
        this.verifier = Ed25519NoteVerifier.of(name, params.generatePublicKey().getEncoded());
    }

    /**
     * Creates a signer from a 32-byte RFC 8032 private key seed.
     *
     * @throws io.tracemark.proofs.ProofException {@code note.key.malformed} for a bad name or seed size
     */
    public static Ed25519NoteSigner fromSeed(String name, byte[] seed) {
        if (!NoteKeys.isValidKeyName(name)) {
            throw NoteKeys.keyError("invalid key name");
        }
        if (seed == null || seed.length != SEED_SIZE) {
            throw NoteKeys.keyError("Ed25519 seed must be " + SEED_SIZE + " bytes");
        }
        return new Ed25519NoteSigner(name, seed.clone());
    }

    /** Generates a new key pair with the given name. */
    public static Ed25519NoteSigner generate(String name, SecureRandom random) {
        byte[] seed = new byte[SEED_SIZE];
        random.nextBytes(seed);
        return fromSeed(name, seed);
    }

    @Override
    public String name() {
        return verifier.name();
    }

    @Override
    public int keyId() {
        return verifier.keyId();
    }

    /** Returns a pure Ed25519 (RFC 8032) signature over the note text bytes. */
    @Override
    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, params);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    @Override
    public Ed25519NoteVerifier verifier() {
        return verifier;
    }

    /** Returns {@code PRIVATE+KEY+name+hex8keyid+base64(0x01‖seed)}; keep it secret. */
    public String signerKey() {
        return NoteKeys.encodeSignerKey(name(), keyId(), NoteKeys.TYPE_ED25519, params.getEncoded());
    }

    @Override
    public String toString() {
        // Never print the private key.
        return "Ed25519NoteSigner[" + verifier.verifierKey() + "]";
    }
}
