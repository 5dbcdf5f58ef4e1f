package io.tracemark.attest.webhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * Standard Webhooks 1.0 secrets and signatures: a secret is {@code whsec_} + base64 of 24–64 random
 * bytes; the signature header is {@code v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>}, several
 * space-separated while a rotated secret is still in its overlap.
 *
 * @see <a href="https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md">Standard Webhooks, "Signature scheme"</a>
 */
public final class WebhookSigning {
    /** Prefix of every secret. */
    public static final String PREFIX = "whsec_";
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSigning() {
    }

    /** A new random secret. */
    public static String newSecret() {
        byte[] key = new byte[SECRET_BYTES];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The {@code webhook-signature} header value for one message, signed with every given secret. */
    public static String signatureHeader(String msgId, long timestampSeconds, String body, List<String> secrets) {
        StringBuilder sb = new StringBuilder();
        byte[] content = (msgId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8);
        for (String secret : secrets) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append("v1,").append(Base64.getEncoder().encodeToString(hmac(key(secret), content)));
        }
        return sb.toString();
    }

    private static byte[] key(String secret) {
        return Base64.getDecoder().decode(secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret);
    }

    private static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
