package io.tracemark.ingest.media;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClaimSignaturesTest {
    private static final byte[] MSG = "{\"sha256\":\"00\",\"title\":\"t\"}".getBytes(StandardCharsets.UTF_8);

    static byte[] sign(String alg, KeyPair kp, byte[] msg) throws Exception {
        Signature s = Signature.getInstance(alg, new BouncyCastleProvider());
        s.initSign(kp.getPrivate());
        s.update(msg);
        return s.sign();
    }

    @Test
    void verifiesEd25519AndRejectsATamperedMessage() throws Exception {
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519", new BouncyCastleProvider()).generateKeyPair();
        byte[] sig = sign("Ed25519", kp, MSG);
        assertNull(ClaimSignatures.verify(ClaimSignatures.Alg.Ed25519, kp.getPublic().getEncoded(), MSG, sig));
        byte[] other = MSG.clone();
        other[3] ^= 1;
        assertEquals("signature.invalid",
                ClaimSignatures.verify(ClaimSignatures.Alg.Ed25519, kp.getPublic().getEncoded(), other, sig).code());
    }

    @Test
    void verifiesEcdsaP256InDerEncoding() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        assertNull(ClaimSignatures.verify(ClaimSignatures.Alg.ES256, kp.getPublic().getEncoded(), MSG,
                sign("SHA256withECDSA", kp, MSG)));
    }

    @Test
    void rejectsAKeyOfTheWrongAlgorithmOrCurve() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
        g.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair p384 = g.generateKeyPair();
        assertEquals("signature.key-mismatch", ClaimSignatures.verify(ClaimSignatures.Alg.ES256,
                p384.getPublic().getEncoded(), MSG, sign("SHA384withECDSA", p384, MSG)).code());
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519", new BouncyCastleProvider()).generateKeyPair();
        assertEquals("signature.key-mismatch", ClaimSignatures.verify(ClaimSignatures.Alg.ES256,
                ed.getPublic().getEncoded(), MSG, sign("Ed25519", ed, MSG)).code());
        assertEquals("signature.key-invalid", ClaimSignatures.verify(ClaimSignatures.Alg.Ed25519,
                new byte[]{1, 2, 3}, MSG, new byte[64]).code());
    }
}
