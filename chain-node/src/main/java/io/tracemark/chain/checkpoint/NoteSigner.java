package io.tracemark.chain.checkpoint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;

/**
 * A C2SP signed-note Ed25519 signer key (https://c2sp.org/signed-note), encoded as
 * {@code PRIVATE+KEY+name+keyid+base64(0x01 ‖ seed)}.
 */
public final class NoteSigner {
    private static final String PREFIX = "PRIVATE+KEY+";

    private final NoteVerifier verifier;
    private final byte[] seed;
    private final PrivateKey privateKey;

    private NoteSigner(String name, byte[] seed, byte[] publicKey) {
        this.seed = seed.clone();
        this.privateKey = Ed25519Keys.privateFromSeed(seed);
        this.verifier = new NoteVerifier(name, publicKey);
    }

    /** Generates a fresh key pair for {@code name}. */
    public static NoteSigner generate(String name) {
        try {
            var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new NoteSigner(name, Ed25519Keys.seed(pair.getPrivate()), Ed25519Keys.rawPublic(pair.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every Java 17 runtime", e);
        }
    }

    /** Parses a signer key, deriving the public key from the seed and checking the key ID. */
    public static NoteSigner parse(String skey) {
        String s = skey.trim();
        if (!s.startsWith(PREFIX)) {
            throw new IllegalArgumentException("signer key must start with " + PREFIX);
        }
        String[] parts = s.substring(PREFIX.length()).split("\\+", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("signer key must be PRIVATE+KEY+name+keyid+base64");
        }
        byte[] key = Base64.getDecoder().decode(parts[2]);
        if (key.length != 33 || key[0] != NoteVerifier.ALG_ED25519) {
            throw new IllegalArgumentException("signer key is not an Ed25519 note key");
        }
        byte[] seed = Arrays.copyOfRange(key, 1, 33);
        NoteSigner signer = new NoteSigner(parts[0], seed, derivePublic(seed));
        if (signer.verifier.keyId() != Integer.parseUnsignedInt(parts[1], 16)) {
            throw new IllegalArgumentException("signer key ID does not match its key");
        }
        return signer;
    }

    /** The signer key string (secret). */
    public String encode() {
        byte[] key = new byte[33];
        key[0] = NoteVerifier.ALG_ED25519;
        System.arraycopy(seed, 0, key, 1, 32);
        return PREFIX + verifier.name() + "+" + NoteVerifier.hexKeyId(verifier.keyId()) + "+"
                + Base64.getEncoder().encodeToString(key);
    }

    /** The matching verifier key. */
    public NoteVerifier verifier() {
        return verifier;
    }

    /** The key name. */
    public String name() {
        return verifier.name();
    }

    /** Returns the signature line {@code — name base64(keyid ‖ sig)} for a note text (C2SP signed-note). */
    public String signatureLine(String text) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(text.getBytes(StandardCharsets.UTF_8));
            byte[] sig = s.sign();
            byte[] blob = ByteBuffer.allocate(4 + sig.length).putInt(verifier.keyId()).put(sig).array();
            return SignedNote.DASH + verifier.name() + " " + Base64.getEncoder().encodeToString(blob);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    private static byte[] derivePublic(byte[] seed) {
        // The JDK exposes no seed-to-public derivation; sign-free derivation via Bouncy Castle.
        var priv = new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(seed, 0);
        return priv.generatePublicKey().getEncoded();
    }
}
