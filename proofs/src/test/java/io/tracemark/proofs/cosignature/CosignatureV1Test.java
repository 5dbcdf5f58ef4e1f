package io.tracemark.proofs.cosignature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.note.Ed25519NoteSigner;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteKeys;
import io.tracemark.proofs.note.NoteSignature;
import io.tracemark.proofs.note.Notes;
import io.tracemark.proofs.note.VerifierSet;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

/** C2SP tlog-cosignature examples, vectors published with transparency-dev/formats, and mutations. */
class CosignatureV1Test {
    static final String SPEC_BODY = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    static final String SPEC_NOTE = SPEC_BODY + "\n"
            + "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
            + "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";
    /** A public witness's cosigner vkey (type 0x04), as listed in transparency-dev/formats' tests. */
    static final String REMORA_VKEY = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";
    static final byte[] SEED = Base64.getDecoder().decode("nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=");

    @Test
    void signedMessageIsTheSpecExampleByteForByte() {
        String expected = "cosignature/v1\ntime 1679315147\n" + SPEC_BODY;
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8),
                CosignatureV1.signedMessage(SPEC_BODY.getBytes(StandardCharsets.UTF_8), 1679315147L));
    }

    @Test
    void specExampleCosignatureLineCarriesTheSpecExampleTimestamp() {
        NoteSignature witnessLine = Note.parse(SPEC_NOTE.getBytes(StandardCharsets.UTF_8)).signatures().get(1);
        assertEquals("witness.example.com/w1", witnessLine.name());
        TimestampedSignature ts = TimestampedSignature.parse(witnessLine.signature());
        assertEquals(1679315147L, ts.timestamp(), "the example message's 'time' line");
    }

    @Test
    void decodesTheTimestampOfAPublishedCosignature() {
        byte[] raw = Base64.getDecoder().decode(
                "ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==");
        assertEquals(1727964367L, TimestampedSignature.parse(java.util.Arrays.copyOfRange(raw, 4, raw.length)).timestamp());
    }

    @Test
    void rejectsAPlainEd25519SignatureAsCosignature() {
        byte[] raw = Base64.getDecoder().decode(
                "eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY=");
        ProofException e = assertThrows(ProofException.class,
                () -> TimestampedSignature.parse(java.util.Arrays.copyOfRange(raw, 4, raw.length)));
        assertEquals(ProofErrorCode.COSIGNATURE_MALFORMED, e.errorCode());
        assertEquals("cosignature.malformed: timestamped Ed25519 signature must be 72 bytes, got 64", e.getMessage());
    }

    @Test
    void rejectsATimestampAbove2To63Minus1() {
        byte[] raw = new byte[72];
        raw[0] = (byte) 0x80;
        ProofException e = assertThrows(ProofException.class, () -> TimestampedSignature.parse(raw));
        assertEquals("cosignature.malformed: timestamp exceeds 2^63-1", e.getMessage());
    }

    @Test
    void parsesAPublishedCosignerVkeyAndReproducesItsKeyId() {
        Ed25519CosignatureVerifier v = CosignatureKeys.parseVerifierKey(REMORA_VKEY);
        assertEquals("remora.n621.de", v.name());
        assertEquals(0xda77ade7, v.keyId());
        assertEquals(REMORA_VKEY, v.verifierKey());
    }

    @Test
    void rejectsASignedNoteVkeyOfType1AsCosignerKey() {
        ProofException e = assertThrows(ProofException.class,
                () -> CosignatureKeys.parseVerifierKey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
        assertEquals("note.key.malformed: verifier key has signature type 1, a cosigner key needs 4", e.getMessage());
    }

    @Test
    void rejectsACosignerVkeyWithAWrongKeyId() {
        ProofException e = assertThrows(ProofException.class,
                () -> CosignatureKeys.parseVerifierKey(REMORA_VKEY.replace("da77ade7", "da77ade8")));
        assertEquals("note.key.malformed: verifier key ID da77ade8 does not match key (da77ade7)", e.getMessage());
    }

    @Test
    void keyIdUsesType4SoTheSameKeyHasDifferentIdsAsNoteSignerAndCosigner() {
        Ed25519NoteSigner plain = Ed25519NoteSigner.fromSeed("w.example/1", SEED);
        Ed25519CosignatureSigner cosigner = Ed25519CosignatureSigner.fromSeed("w.example/1", SEED, () -> 1);
        assertArrayEquals(plain.verifier().publicKey(), cosigner.verifier().publicKey());
        assertEquals(NoteKeys.keyId("w.example/1", (byte) 4, plain.verifier().publicKey()), cosigner.keyId());
        assertNotEquals(plain.keyId(), cosigner.keyId());
    }

    @Test
    void cosignatureIsTimestampThenEd25519OverTheSpecMessageCheckedWithPlainBouncyCastle() {
        Ed25519CosignatureSigner s = Ed25519CosignatureSigner.fromSeed("w.example/1", SEED, () -> 1679315147L);
        byte[] sig = s.sign(SPEC_BODY.getBytes(StandardCharsets.UTF_8));
        assertEquals(72, sig.length);
        assertEquals(1679315147L, java.nio.ByteBuffer.wrap(sig).getLong());
        byte[] message = ("cosignature/v1\ntime 1679315147\n" + SPEC_BODY).getBytes(StandardCharsets.UTF_8);
        Ed25519Signer raw = new Ed25519Signer();
        raw.init(false, new Ed25519PublicKeyParameters(s.verifier().publicKey(), 0));
        raw.update(message, 0, message.length);
        assertTrue(raw.verifySignature(java.util.Arrays.copyOfRange(sig, 8, 72)));
    }

    @Test
    void cosignedNoteOpensWithTheCosignerKeyAndNotWithThePlainKey() {
        Ed25519CosignatureSigner s = Ed25519CosignatureSigner.fromSeed("w.example/1", SEED, () -> 1700000000L);
        byte[] note = Notes.sign(SPEC_BODY, s);
        assertEquals(1, Notes.open(note, VerifierSet.of(s.verifier())).verifiedBy().size());
        Ed25519NoteSigner plain = Ed25519NoteSigner.fromSeed("w.example/1", SEED);
        ProofException e = assertThrows(ProofException.class, () -> Notes.open(note, VerifierSet.of(plain.verifier())));
        assertEquals(ProofErrorCode.NOTE_UNVERIFIED, e.errorCode(), "key ID differs, so the line is not the plain key's");
    }

    @Test
    void everyMutationOfTimestampSignatureOrCheckpointTextFailsVerification() {
        Ed25519CosignatureSigner s = Ed25519CosignatureSigner.fromSeed("w.example/1", SEED, () -> 1700000000L);
        byte[] text = (SPEC_BODY + "extension line\n").getBytes(StandardCharsets.UTF_8);
        byte[] sig = s.sign(text);
        Ed25519CosignatureVerifier v = s.verifier();
        assertTrue(v.verify(text, sig));
        assertEquals(1700000000L, v.verifiedTimestamp(text, sig).getAsLong());
        for (int i = 0; i < sig.length; i++) {
            byte[] bad = sig.clone();
            bad[i] ^= 0x01;
            assertFalse(v.verify(text, bad), "flipped bit in byte " + i);
        }
        byte[] otherText = (SPEC_BODY + "extension lime\n").getBytes(StandardCharsets.UTF_8);
        assertFalse(v.verify(otherText, sig), "extension lines are covered");
        assertFalse(v.verify(text, java.util.Arrays.copyOf(sig, 71)));
    }

    @Test
    void signerKeyRoundTripsAndIsNeverPrinted() {
        Ed25519CosignatureSigner s = Ed25519CosignatureSigner.fromSeed("w.example/1", SEED, () -> 5);
        String skey = s.signerKey();
        assertTrue(skey.startsWith("PRIVATE+KEY+w.example/1+" + NoteKeys.keyIdHex(s.keyId()) + "+BJ"));
        Ed25519CosignatureSigner back = CosignatureKeys.parseSignerKey(skey, () -> 5);
        assertEquals(s.verifier(), back.verifier());
        assertFalse(s.toString().contains(skey.substring(skey.lastIndexOf('+') + 1)));
        assertEquals(s.verifier(), CosignatureKeys.parseVerifierKey(s.verifier().verifierKey()));
    }
}
