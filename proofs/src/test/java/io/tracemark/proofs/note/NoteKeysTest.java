package io.tracemark.proofs.note;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Key strings from golang.org/x/mod/sumdb/note's published tests. */
class NoteKeysTest {
    static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    static final String PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    static final String ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";

    @Test
    void parsesThePublishedPeterNeumannVerifierKey() {
        NoteVerifier v = NoteKeys.parseVerifierKey(PETER_VKEY);
        assertEquals("PeterNeumann", v.name());
        assertEquals(0xc74f20a3, v.keyId());
        assertEquals(PETER_VKEY, v.verifierKey());
        assertEquals(0xaf0cfe78, NoteKeys.parseVerifierKey(ENOCH_VKEY).keyId());
    }

    @Test
    void derivesThePublishedVerifierKeyFromThePublishedSignerKey() {
        NoteSigner s = NoteKeys.parseSignerKey(PETER_SKEY);
        assertEquals(0xc74f20a3, s.keyId());
        assertEquals(PETER_VKEY, s.verifier().verifierKey());
        assertEquals(PETER_SKEY, ((Ed25519NoteSigner) s).signerKey());
    }

    @Test
    void rejectsEverySubstringAndSingleCharacterManglingOfAVerifierKey() {
        assertAllManglingsRejected(PETER_VKEY, NoteKeys::parseVerifierKey);
        // Wrong key length and unknown algorithm, each with a key ID adjusted to match.
        assertKeyRejected(() -> NoteKeys.parseVerifierKey(
                "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="));
        assertKeyRejected(() -> NoteKeys.parseVerifierKey(
                "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
        assertKeyRejected(() -> NoteKeys.parseVerifierKey(PETER_VKEY.replace("c74f20a3", "C74F20A3")));
    }

    @Test
    void rejectsEverySubstringAndSingleCharacterManglingOfASignerKey() {
        assertAllManglingsRejected(PETER_SKEY, NoteKeys::parseSignerKey);
    }

    @Test
    void computesKeyIdFromNameNewlineTypeAndPublicKey() {
        Ed25519NoteVerifier v = (Ed25519NoteVerifier) NoteKeys.parseVerifierKey(PETER_VKEY);
        assertEquals(0xc74f20a3, NoteKeys.keyId("PeterNeumann", (byte) 1, v.publicKey()));
        assertTrue(NoteKeys.keyId("PeterNeumann", (byte) 2, v.publicKey()) != 0xc74f20a3);
    }

    @Test
    void generatedKeysRoundTripThroughTheirStrings() {
        Ed25519NoteSigner s = Ed25519NoteSigner.generate("example.com/log", new SecureRandom());
        NoteSigner parsed = NoteKeys.parseSignerKey(s.signerKey());
        NoteVerifier v = NoteKeys.parseVerifierKey(s.verifier().verifierKey());
        byte[] msg = "hi\n".getBytes(StandardCharsets.UTF_8);
        assertTrue(v.verify(msg, parsed.sign(msg)));
        byte[] sig = s.sign(msg);
        sig[0] ^= 1;
        assertFalse(v.verify(msg, sig));
        assertFalse(v.verify("hj\n".getBytes(StandardCharsets.UTF_8), s.sign(msg)));
        assertFalse(s.toString().contains("PRIVATE"));
    }

    @Test
    void enforcesKeyNameRules() {
        assertTrue(NoteKeys.isValidKeyName("example.com/log42"));
        assertTrue(NoteKeys.isValidKeyName("ünïcödé"));
        for (String bad : new String[] {"", "a b", "a+b", "a\tb", "a\u00a0b", "a\u2003b", "a\u3000b", "a\u0085b",
                "a\u0001b", "a\ud800b"}) {
            assertFalse(NoteKeys.isValidKeyName(bad), "accepted '" + bad + "'");
        }
        assertKeyRejected(() -> Ed25519NoteVerifier.of("a b", new byte[32]));
        assertKeyRejected(() -> Ed25519NoteVerifier.of("ok", new byte[31]));
        assertKeyRejected(() -> Ed25519NoteSigner.fromSeed("ok", new byte[33]));
    }

    private static void assertAllManglingsRejected(String key, java.util.function.Function<String, ?> parse) {
        byte[] b = key.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i <= b.length; i++) {
            for (int j = i + 1; j <= b.length; j++) {
                if (i == 0 && j == b.length) {
                    continue;
                }
                String sub = new String(b, i, j - i, StandardCharsets.US_ASCII);
                assertKeyRejected(() -> parse.apply(sub));
            }
        }
        for (int i = 0; i < b.length; i++) {
            b[i]++;
            String mangled = new String(b, StandardCharsets.ISO_8859_1);
            assertKeyRejected(() -> parse.apply(mangled));
            b[i]--;
        }
    }

    private static void assertKeyRejected(Runnable r) {
        try {
            r.run();
            fail("key was accepted");
        } catch (ProofException e) {
            assertEquals(ProofErrorCode.NOTE_KEY_MALFORMED, e.errorCode(), e.getMessage());
        }
    }
}
