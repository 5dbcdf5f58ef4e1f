package io.tracemark.edge.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API key wire format {@code tmk_<keyId>_<secret>}.
 *
 * <p>The key id is public (it names the stored row and appears in logs); only the SHA-256 of the
 * secret is stored, so a database leak does not leak usable keys.
 */
public final class ApiKeyFormat {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern FORMAT = Pattern.compile("tmk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})");
    private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private ApiKeyFormat() {
    }

    /** A freshly generated key: its public id and the full secret text shown once to the user. */
    public record Generated(String keyId, String plaintext) {
    }

    /** A key split into its id and secret parts. */
    public record Parsed(String keyId, String secret) {
    }

    /** Generates a new random key (256-bit secret). */
    public static Generated generate() {
        StringBuilder id = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            id.append(ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)]);
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String s = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new Generated(id.toString(), "tmk_" + id + "_" + s);
    }

    /** Splits a presented key, or empty when it is not in the key format at all. */
    public static Optional<Parsed> parse(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        var m = FORMAT.matcher(presented.trim());
        return m.matches() ? Optional.of(new Parsed(m.group(1), m.group(2))) : Optional.empty();
    }

    /** Hex SHA-256 of a full key text, the only form in which keys are stored. */
    public static String hash(String plaintext) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(plaintext.trim().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of two hex hashes. */
    public static boolean sameHash(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(
                a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
