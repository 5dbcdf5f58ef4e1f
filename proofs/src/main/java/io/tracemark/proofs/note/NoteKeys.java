package io.tracemark.proofs.note;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.StrictBase64;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Key names, key IDs and the encoded key strings used by golang.org/x/mod/sumdb/note and the
 * C2SP signed-note ecosystem.
 */
public final class NoteKeys {
    /** Signature type byte for Ed25519 (C2SP signed-note "Signature types"). */
    public static final byte TYPE_ED25519 = 0x01;

    private static final String PRIVATE_PREFIX = "PRIVATE+KEY+";

    private NoteKeys() {
    }

    /**
     * Returns whether {@code name} is a valid key name: non-empty, with no Unicode white space
     * and no '+' (C2SP signed-note "Format"). Control characters and unpaired surrogates are
     * rejected too, since they could never appear in a valid note.
     */
    public static boolean isValidKeyName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (cp == '+' || cp < 0x20 || isUnicodeSpace(cp) || Character.isSurrogate(name.charAt(i)) && !Character.isSupplementaryCodePoint(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /**
     * Returns SHA-256(name ‖ 0x0A ‖ type ‖ publicKey)[:4] as a big-endian int
     * (C2SP signed-note "Signatures", recommended key ID).
     */
    public static int keyId(String name, byte type, byte[] publicKey) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha256.update(name.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) '\n');
        sha256.update(type);
        sha256.update(publicKey);
        byte[] h = sha256.digest();
        return ((h[0] & 0xFF) << 24) | ((h[1] & 0xFF) << 16) | ((h[2] & 0xFF) << 8) | (h[3] & 0xFF);
    }

    /** Formats a key ID as the 8 lowercase hex digits used in key strings. */
    public static String keyIdHex(int keyId) {
        return String.format("%08x", keyId);
    }

    /**
     * Parses a verifier key {@code name+hex8+base64(type‖publicKey)} and checks its key ID.
     *
     * @throws ProofException {@code note.key.malformed} if malformed, of an unsupported type, or
     *     if the key ID does not match the name and key
     */
    public static NoteVerifier parseVerifierKey(String vkey) {
        EncodedKey p = decodeVerifierKey(vkey);
        if (p.type() != TYPE_ED25519) {
            throw keyError("verifier key has unsupported signature type " + (p.type() & 0xFF));
        }
        Ed25519NoteVerifier v = Ed25519NoteVerifier.of(p.name(), p.keyMaterial());
        if (v.keyId() != p.keyId()) {
            throw keyError("verifier key ID " + keyIdHex(p.keyId()) + " does not match key (" + keyIdHex(v.keyId()) + ")");
        }
        return v;
    }

    /**
     * Parses a signer key {@code PRIVATE+KEY+name+hex8+base64(type‖seed)} and checks that its key ID
     * matches the derived public key.
     *
     * @throws ProofException {@code note.key.malformed} if malformed or inconsistent
     */
    public static NoteSigner parseSignerKey(String skey) {
        EncodedKey p = decodeSignerKey(skey);
        if (p.type() != TYPE_ED25519) {
            throw keyError("signer key has unsupported signature type " + (p.type() & 0xFF));
        }
        Ed25519NoteSigner s = Ed25519NoteSigner.fromSeed(p.name(), p.keyMaterial());
        if (s.keyId() != p.keyId()) {
            throw keyError("signer key ID " + keyIdHex(p.keyId()) + " does not match derived public key");
        }
        return s;
    }

    /**
     * Splits a verifier key {@code name+hex8+base64(type‖key)} into its parts without interpreting
     * the signature type (C2SP signed-note "Verifier keys"), so other specs can define their own types.
     *
     * @throws ProofException {@code note.key.malformed} if the string is not in that form
     */
    public static EncodedKey decodeVerifierKey(String vkey) {
        return parse(vkey, "verifier key");
    }

    /**
     * Splits a signer key {@code PRIVATE+KEY+name+hex8+base64(type‖key)} into its parts without
     * interpreting the signature type.
     *
     * @throws ProofException {@code note.key.malformed} if the string is not in that form
     */
    public static EncodedKey decodeSignerKey(String skey) {
        if (skey == null || !skey.startsWith(PRIVATE_PREFIX)) {
            throw keyError("signer key must start with " + PRIVATE_PREFIX);
        }
        return parse(skey.substring(PRIVATE_PREFIX.length()), "signer key");
    }

    /** Formats {@code name+hex8+base64(type‖key)}, the encoding {@link #decodeVerifierKey} reads. */
    public static String encodeVerifierKey(String name, int keyId, byte type, byte[] key) {
        return name + "+" + keyIdHex(keyId) + "+" + StrictBase64.encode(typed(type, key));
    }

    /** Formats {@code PRIVATE+KEY+name+hex8+base64(type‖key)}, the encoding {@link #decodeSignerKey} reads. */
    public static String encodeSignerKey(String name, int keyId, byte type, byte[] key) {
        return PRIVATE_PREFIX + encodeVerifierKey(name, keyId, type, key);
    }

    private static byte[] typed(byte type, byte[] key) {
        byte[] typed = new byte[1 + key.length];
        typed[0] = type;
        System.arraycopy(key, 0, typed, 1, key.length);
        return typed;
    }

    /**
     * A key string's parts.
     *
     * @param name key name
     * @param keyId the key ID written in the string (not yet checked against the key)
     * @param type signature type byte
     * @param keyMaterial the key bytes after the type byte
     */
    public record EncodedKey(String name, int keyId, byte type, byte[] keyMaterial) {
        /** Copies the key bytes. */
        public EncodedKey {
            keyMaterial = keyMaterial.clone();
        }

        /** Returns a copy of the key bytes. */
        @Override
        public byte[] keyMaterial() {
            return keyMaterial.clone();
        }
    }

    /** A {@code note.key.malformed} error with {@code message}. */
    public static ProofException keyError(String message) {
        return new ProofException(ProofErrorCode.NOTE_KEY_MALFORMED, message);
    }

    /** Unicode White_Space, matching Go's unicode.IsSpace which sumdb/note uses for names. */
    static boolean isUnicodeSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || Character.isSpaceChar(cp);
    }

    private static EncodedKey parse(String s, String what) {
        if (s == null) {
            throw keyError(what + " is missing");
        }
        // Base64 may itself contain '+', so only the first two separators are structural.
        int a = s.indexOf('+');
        int b = a < 0 ? -1 : s.indexOf('+', a + 1);
        if (a < 0 || b < 0) {
            throw keyError(what + " must be name+keyid+key");
        }
        String name = s.substring(0, a);
        String hex = s.substring(a + 1, b);
        if (!isValidKeyName(name)) {
            throw keyError(what + " has an invalid key name");
        }
        if (hex.length() != 8 || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw keyError(what + " key ID must be 8 lowercase hex digits");
        }
        byte[] key = StrictBase64.decode(s.substring(b + 1), ProofErrorCode.NOTE_KEY_MALFORMED, what + " key");
        if (key.length == 0) {
            throw keyError(what + " has no key bytes");
        }
        return new EncodedKey(name, Integer.parseUnsignedInt(hex, 16), key[0], Arrays.copyOfRange(key, 1, key.length));
    }
}
