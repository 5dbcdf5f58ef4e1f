package io.tracemark.proofs.cosignature;

import io.tracemark.proofs.note.Ed25519NoteSigner;
import io.tracemark.proofs.note.NoteKeys;
import io.tracemark.proofs.note.NoteSigner;
import java.security.SecureRandom;
import java.util.function.LongSupplier;

/**
 * Produces Ed25519 {@code cosignature/v1} signatures (C2SP tlog-cosignature): each is the current
 * POSIX time followed by an Ed25519 signature over the {@code cosignature/v1} message.
 */
public final class Ed25519CosignatureSigner implements NoteSigner {
    private final Ed25519NoteSigner ed25519;
    private final byte[] seed;
    private final Ed25519CosignatureVerifier verifier;
    private final LongSupplier clockSeconds;

    private Ed25519CosignatureSigner(String name, byte[] seed, LongSupplier clockSeconds) {
        this.ed25519 = Ed25519NoteSigner.fromSeed(name, seed);
        this.seed = seed.clone();
        this.verifier = Ed25519CosignatureVerifier.of(name, ed25519.verifier().publicKey());
        this.clockSeconds = clockSeconds;
    }

    /**
     * A signer from a 32-byte RFC 8032 seed that stamps signatures with {@code clockSeconds}.
     *
     * @throws io.tracemark.proofs.ProofException {@code note.key.malformed} for a bad name or seed
     */
    public static Ed25519CosignatureSigner fromSeed(String name, byte[] seed, LongSupplier clockSeconds) {
        return new Ed25519CosignatureSigner(name, seed, clockSeconds);
    }

    /** Generates a new key that stamps signatures with {@code clockSeconds}. */
    public static Ed25519CosignatureSigner generate(String name, SecureRandom random, LongSupplier clockSeconds) {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return fromSeed(name, seed, clockSeconds);
    }

    @Override
    public String name() {
        return verifier.name();
    }

    @Override
    public int keyId() {
        return verifier.keyId();
    }

    /** Returns the encoded {@code timestamped_signature} over {@code noteText} at the clock's current time. */
    @Override
    public byte[] sign(byte[] noteText) {
        return sign(noteText, clockSeconds.getAsLong()).encode();
    }

    /** Signs {@code noteText} as of {@code timestamp} (POSIX seconds). */
    public TimestampedSignature sign(byte[] noteText, long timestamp) {
        return new TimestampedSignature(timestamp, ed25519.sign(CosignatureV1.signedMessage(noteText, timestamp)));
    }

    @Override
    public Ed25519CosignatureVerifier verifier() {
        return verifier;
    }

    /** Returns {@code PRIVATE+KEY+name+hex8keyid+base64(0x04‖seed)}; keep it secret. */
    public String signerKey() {
        return NoteKeys.encodeSignerKey(name(), keyId(), CosignatureV1.TYPE_ED25519, seed);
    }

    @Override
    public String toString() {
        // Never print the private key.
        return "Ed25519CosignatureSigner[" + verifier.verifierKey() + "]";
    }
}
