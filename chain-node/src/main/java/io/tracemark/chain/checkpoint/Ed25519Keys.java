package io.tracemark.chain.checkpoint;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/** Conversions between raw 32-byte Ed25519 keys (RFC 8032) and JDK key objects. */
final class Ed25519Keys {
    // Fixed DER prefixes of the PKCS#8 and SubjectPublicKeyInfo encodings of an Ed25519 key (RFC 8410).
    private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");
    private static final byte[] SPKI_PREFIX = hex("302a300506032b6570032100");

    private Ed25519Keys() {
    }

    static PrivateKey privateFromSeed(byte[] seed) {
        return (PrivateKey) decode(concat(PKCS8_PREFIX, seed), true);
    }

    static PublicKey publicFromRaw(byte[] raw) {
        return (PublicKey) decode(concat(SPKI_PREFIX, raw), false);
    }

    static byte[] rawPublic(PublicKey key) {
        byte[] der = key.getEncoded();
        return Arrays.copyOfRange(der, der.length - 32, der.length);
    }

    static byte[] seed(PrivateKey key) {
        byte[] der = key.getEncoded();
        return Arrays.copyOfRange(der, der.length - 32, der.length);
    }

    private static Object decode(byte[] der, boolean isPrivate) {
        try {
            KeyFactory kf = KeyFactory.getInstance("Ed25519");
            return isPrivate ? kf.generatePrivate(new PKCS8EncodedKeySpec(der)) : kf.generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("invalid Ed25519 key", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (b.length != 32) {
            throw new IllegalArgumentException("Ed25519 keys are 32 bytes, not " + b.length);
        }
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}
