package io.tracemark.chain.checkpoint;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A C2SP signed-note Ed25519 verifier key, {@code name+keyid+base64(0x01 ‖ pubkey)}
 * (https://c2sp.org/signed-note#verifier-keys).
 */
public final class NoteVerifier {
    static final byte ALG_ED25519 = 0x01;

    private final String name;
    private final int keyId;
    private final byte[] publicKey;
    private final PublicKey jdkKey;

    NoteVerifier(String name, byte[] publicKey) {
        checkName(name);
        this.name = name;
        this.publicKey = publicKey.clone();
        this.keyId = keyId(name, publicKey);
        this.jdkKey = Ed25519Keys.publicFromRaw(publicKey);
    }

    /** Parses a verifier key string, checking that its key ID matches name and key. */
    public static NoteVerifier parse(String vkey) {
        String[] parts = vkey.trim().split("\\+", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("verifier key must be name+keyid+base64: " + vkey);
        }
        byte[] key = Base64.getDecoder().decode(parts[2]);
        if (key.length != 33 || key[0] != ALG_ED25519) {
            throw new IllegalArgumentException("verifier key is not an Ed25519 note key: " + vkey);
        }
        NoteVerifier v = new NoteVerifier(parts[0], Arrays.copyOfRange(key, 1, 33));
        if (v.keyId != Integer.parseUnsignedInt(parts[1], 16) || parts[1].length() != 8) {
            throw new IllegalArgumentException("verifier key ID does not match its key: " + vkey);
        }
        return v;
    }

    /** The key name, also the name on signature lines. */
    public String name() {
        return name;
    }

    /** The 4-byte key ID: first bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key). */
    public int keyId() {
        return keyId;
    }

    /** The verifier key string. */
    public String encode() {
        byte[] key = new byte[33];
        key[0] = ALG_ED25519;
        System.arraycopy(publicKey, 0, key, 1, 32);
        return name + "+" + String.format("%08x", keyId) + "+" + Base64.getEncoder().encodeToString(key);
    }

    /** Whether {@code signature} (64 bytes) is this key's Ed25519 signature over the note text. */
    public boolean verify(String text, byte[] signature) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(jdkKey);
            s.update(text.getBytes(StandardCharsets.UTF_8));
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static int keyId(String name, byte[] publicKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            sha.update(ALG_ED25519);
            sha.update(publicKey);
            byte[] h = sha.digest();
            return ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static void checkName(String name) {
        if (name.isEmpty() || name.chars().anyMatch(c -> c == '+' || Character.isWhitespace(c))) {
            throw new IllegalArgumentException("invalid note key name '" + name + "'");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteVerifier v && v.name.equals(name) && Arrays.equals(v.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return encode();
    }

    static String hexKeyId(int id) {
        return HexFormat.of().toHexDigits(id);
    }
}
