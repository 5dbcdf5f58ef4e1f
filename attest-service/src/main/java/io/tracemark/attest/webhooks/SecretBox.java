package io.tracemark.attest.webhooks;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Authenticated encryption of small secrets at rest with AES-256-GCM (NIST SP 800-38D): a fresh random
 * 96-bit nonce per value (SP 800-38D §8.2.2, the RBG-based construction) and a 128-bit tag. The stored form
 * is {@code v1:<key-id>:<base64url(nonce || ciphertext || tag)>}; version and key id are bound into the
 * associated data together with the caller's context, so neither the header nor the owner of a value can
 * be swapped. Several keys may be held: the first seals, all open, so keys rotate without a re-encryption
 * pass. Random nonces keep a key well inside SP 800-38D's limit of 2^32 invocations for the few values
 * stored here.
 *
 * @see <a href="https://nvlpubs.nist.gov/nistpubs/Legacy/SP/nistspecialpublication800-38d.pdf">NIST SP 800-38D</a>
 */
public final class SecretBox {
    /** Version prefix of every sealed value. */
    public static final String VERSION = "v1";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String DOMAIN = "tracemark.secret-box";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, SecretKeySpec> keys;
    private final String sealingKeyId;

    /** An AES-256 key and its id; {@link #toString()} never shows the key. */
    public record Key(String id, byte[] material) {
        public Key {
            if (id == null || !KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("key id must match " + KEY_ID.pattern());
            }
            if (material == null || material.length != KEY_BYTES) {
                throw new IllegalArgumentException("key " + id + " is " + (material == null ? 0 : material.length)
                        + " bytes; AES-256 needs " + KEY_BYTES);
            }
            material = material.clone();
        }

        /** A fresh random key. */
        public static Key generate(String id) {
            byte[] k = new byte[KEY_BYTES];
            RANDOM.nextBytes(k);
            return new Key(id, k);
        }

        /** The {@code <key-id>:<base64 key>} form read by {@link #parseKeys}. */
        public String encoded() {
            return id + ":" + Base64.getEncoder().encodeToString(material);
        }

        @Override
        public String toString() {
            return "Key[" + id + "]";
        }
    }

    /** Holds {@code keys}; the first seals, every one opens. */
    public SecretBox(List<Key> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one key is needed");
        }
        Map<String, SecretKeySpec> m = new LinkedHashMap<>();
        for (Key k : keys) {
            if (m.put(k.id(), new SecretKeySpec(k.material(), "AES")) != null) {
                throw new IllegalArgumentException("key id " + k.id() + " appears twice");
            }
        }
        this.keys = m;
        this.sealingKeyId = keys.get(0).id();
    }

    /**
     * Parses {@code <key-id>:<base64 32-byte key>[,<key-id>:<base64 key>…]}; errors name the entry, never
     * its key bytes.
     */
    public static List<Key> parseKeys(String spec) {
        List<Key> out = new ArrayList<>();
        String[] entries = spec.split(",");
        for (int i = 0; i < entries.length; i++) {
            String e = entries[i].strip();
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("entry " + (i + 1) + " is not <key-id>:<base64 key>");
            }
            String id = e.substring(0, colon).strip();
            String b64 = e.substring(colon + 1).strip();
            byte[] material;
            try {
                material = (b64.indexOf('-') >= 0 || b64.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder())
                        .decode(b64);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("entry " + (i + 1) + " (key id " + id + "): key is not base64");
            }
            out.add(new Key(id, material));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no keys listed");
        }
        return out;
    }

    /** Length-prefixed encoding of context fields as associated data, so no two field lists encode alike. */
    public static byte[] context(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : parts) {
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    /** Id of the key that seals. */
    public String sealingKeyId() {
        return sealingKeyId;
    }

    /** Ids of every key that opens, sealing key first. */
    public List<String> keyIds() {
        return List.copyOf(keys.keySet());
    }

    /** Encrypts {@code plaintext} bound to {@code context} under the sealing key. */
    public String seal(String plaintext, byte[] context) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.get(sealingKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(sealingKeyId, context));
            byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + ct.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(ct, 0, out, NONCE_BYTES, ct.length);
            return VERSION + ":" + sealingKeyId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Decrypts a value from {@link #seal} with the same {@code context}, or throws {@link SecretBoxException}. */
    public String open(String sealed, byte[] context) {
        String[] parts = sealed == null ? new String[0] : sealed.split(":", 3);
        if (parts.length != 3) {
            throw new SecretBoxException(SecretBoxException.Code.MALFORMED, "expected <version>:<key-id>:<base64url>");
        }
        if (!VERSION.equals(parts[0])) {
            throw new SecretBoxException(SecretBoxException.Code.UNSUPPORTED_VERSION,
                    "version " + parts[0] + " is not " + VERSION);
        }
        SecretKeySpec key = keys.get(parts[1]);
        if (key == null) {
            throw new SecretBoxException(SecretBoxException.Code.UNKNOWN_KEY,
                    "sealed under key id " + parts[1] + ", configured: " + String.join(",", keys.keySet()));
        }
        byte[] body;
        try {
            body = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new SecretBoxException(SecretBoxException.Code.MALFORMED, "body is not base64url");
        }
        if (body.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SecretBoxException(SecretBoxException.Code.MALFORMED,
                    "body is " + body.length + " bytes, shorter than nonce and tag (" + (NONCE_BYTES + TAG_BITS / 8) + ")");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, body, 0, NONCE_BYTES));
            c.updateAAD(aad(parts[1], context));
            return new String(c.doFinal(body, NONCE_BYTES, body.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SecretBoxException(SecretBoxException.Code.AUTHENTICATION_FAILED,
                    "GCM tag mismatch under key id " + parts[1] + " (altered value, other context or other key)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    private static byte[] aad(String keyId, byte[] context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(context(DOMAIN, VERSION, keyId));
        out.writeBytes(context);
        return out.toByteArray();
    }
}
