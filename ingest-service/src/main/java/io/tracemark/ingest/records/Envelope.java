package io.tracemark.ingest.records;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.proofs.canonical.CanonicalJson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The record envelope that is canonicalised (RFC 8785) and hashed into the record digest.
 *
 * <p>The envelope carries a random 128-bit salt so that a low-entropy record (a GTIN and a lot) cannot
 * be confirmed by hashing guesses against the public log.
 */
public record Envelope(String id, String tenant, String type, Instant receivedAt, String salt,
                       ObjectNode payload, byte[] canonical, byte[] digest) {
    /** Envelope format version, part of the hashed bytes. */
    public static final int VERSION = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Builds, canonicalises and hashes a new envelope for a validated payload. */
    public static Envelope seal(String tenant, String type, ObjectNode payload) {
        byte[] s = new byte[16];
        RANDOM.nextBytes(s);
        String salt = Base64.getUrlEncoder().withoutPadding().encodeToString(s);
        Instant received = Instant.ofEpochMilli(System.currentTimeMillis());
        String id = RecordIds.next();
        ObjectNode env = JsonNodeFactory.instance.objectNode();
        env.put("v", VERSION).put("id", id).put("tenant", tenant).put("type", type)
                .put("receivedAt", received.toString()).put("salt", salt).set("payload", payload);
        byte[] canonical = CanonicalJson.canonicalize(env);
        return new Envelope(id, tenant, type, received, salt, payload, canonical, sha256(canonical));
    }

    /** Lower-case hex of the record digest. */
    public String digestHex() {
        return HexFormat.of().formatHex(digest);
    }

    /** The canonical bytes as UTF-8 text (RFC 8785 output is always valid UTF-8). */
    public String canonicalText() {
        return new String(canonical, StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
