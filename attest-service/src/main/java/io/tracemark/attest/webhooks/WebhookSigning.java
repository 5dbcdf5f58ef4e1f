package io.tracemark.attest.webhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    private static final String HMAC = "HmacSHA256";
    /** A MAC per thread: looking one up from the providers costs more than signing a 3 KB body. */
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(WebhookSigning::newMac);
    /** Decoded keys by secret, at most this many (then forgotten all at once). */
    private static final int KEYS_MAX = 10_000;
    private static final Map<String, SecretKeySpec> KEYS = new ConcurrentHashMap<>();

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
        return signatureHeader(msgId, timestampSeconds, body.getBytes(StandardCharsets.UTF_8), secrets);
    }

    /**
     * The {@code webhook-signature} header value for one message whose body is given as sent (UTF-8): the body
     * is signed where it lies rather than copied into one {@code id.timestamp.body} string per delivery.
     */
    public static String signatureHeader(String msgId, long timestampSeconds, byte[] body, List<String> secrets) {
        StringBuilder sb = new StringBuilder();
        byte[] prefix = (msgId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
        Mac mac = MAC.get();
        for (String secret : secrets) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            if (KEYS.size() >= KEYS_MAX) {
                KEYS.clear();
            }
            try {
                mac.init(KEYS.computeIfAbsent(secret, WebhookSigning::key));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            mac.update(prefix);
            mac.update(body);
            sb.append("v1,").append(Base64.getEncoder().encodeToString(mac.doFinal()));
        }
        return sb.toString();
    }

    private static SecretKeySpec key(String secret) {
        return new SecretKeySpec(Base64.getDecoder().decode(secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret),
                HMAC);
    }

    private static Mac newMac() {
        try {
            return Mac.getInstance(HMAC);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
