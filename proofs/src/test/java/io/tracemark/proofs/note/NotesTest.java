package io.tracemark.proofs.note;

import static io.tracemark.proofs.note.NoteKeysTest.ENOCH_VKEY;
import static io.tracemark.proofs.note.NoteKeysTest.PETER_SKEY;
import static io.tracemark.proofs.note.NoteKeysTest.PETER_VKEY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.cosignature.Ed25519CosignatureSigner;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Signed notes, checked against golang.org/x/mod/sumdb/note's published signatures. */
class NotesTest {
    static final String TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    static final String PETER_SIG = "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    static final String ENOCH_SIG = "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    static final NoteVerifier PETER = NoteKeys.parseVerifierKey(PETER_VKEY);
    static final NoteVerifier ENOCH = NoteKeys.parseVerifierKey(ENOCH_VKEY);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ProofErrorCode codeOf(Executable e) {
        return assertThrows(ProofException.class, e).errorCode();
    }

    @Test
    void signsTheGoExampleNoteToTheExactPublishedBytes() {
        NoteSigner signer = NoteKeys.parseSignerKey(PETER_SKEY);
        assertEquals(TEXT + "\n" + PETER_SIG, new String(Notes.sign(TEXT, signer), StandardCharsets.UTF_8));
    }

    @Test
    void replacesAnExistingSignatureByTheSameKeyWhenSigningAgain() {
        Note prefilled = new Note(TEXT, List.of(new NoteSignature("PeterNeumann", 0xc74f20a3, new byte[] {1, 2, 3})));
        Note signed = Notes.addSignatures(prefilled, NoteKeys.parseSignerKey(PETER_SKEY));
        assertEquals(TEXT + "\n" + PETER_SIG, new String(signed.encode(), StandardCharsets.UTF_8));
    }

    @Test
    void opensAPublishedNoteReportingTrustedAndIgnoredSignatures() {
        byte[] msg = utf8(TEXT + "\n" + PETER_SIG + ENOCH_SIG);
        VerifiedNote onlyPeter = Notes.open(msg, VerifierSet.of(PETER));
        assertEquals(TEXT, onlyPeter.text());
        assertEquals(List.of(PETER), onlyPeter.verifiedBy());
        assertEquals(1, onlyPeter.unverified().size());
        assertEquals("EnochRoot", onlyPeter.unverified().get(0).name());

        VerifiedNote both = Notes.open(msg, VerifierSet.of(PETER, ENOCH));
        assertEquals(List.of(PETER, ENOCH), both.verifiedBy());
        assertEquals(List.of(), both.unverified());
        assertArrayEquals(msg, both.note().encode());
    }

    @Test
    void rejectsANoteWithNoTrustedSignature() {
        byte[] msg = utf8(TEXT + "\n" + PETER_SIG + ENOCH_SIG);
        assertEquals(ProofErrorCode.NOTE_UNVERIFIED, codeOf(() -> Notes.open(msg, VerifierSet.of())));
    }

    @Test
    void rejectsAnInvalidSignatureFromATrustedKey() {
        String bad = PETER_SIG.substring(0, 60) + "ABCD" + PETER_SIG.substring(60);
        assertEquals(ProofErrorCode.SIGNATURE_INVALID,
                codeOf(() -> Notes.open(utf8(TEXT + "\n" + bad), VerifierSet.of(PETER))));
        // A forged duplicate next to a genuine line is still caught.
        assertEquals(ProofErrorCode.SIGNATURE_INVALID,
                codeOf(() -> Notes.open(utf8(TEXT + "\n" + PETER_SIG + bad), VerifierSet.of(PETER))));
    }

    @Test
    void ignoresBadSignaturesFromUnknownKeysAndCollapsesDuplicates() {
        String badEnoch = ENOCH_SIG.substring(0, 60) + "ABCD" + ENOCH_SIG.substring(60);
        VerifiedNote n = Notes.open(utf8(TEXT + "\n" + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG + badEnoch),
                VerifierSet.of(PETER));
        assertEquals(List.of(PETER), n.verifiedBy());
        assertEquals(2, n.unverified().size());
    }

    @Test
    void rejectsFlippedBytesInTheTextOrTheSignature() {
        byte[] good = utf8(TEXT + "\n" + PETER_SIG);
        byte[] textFlip = good.clone();
        textFlip[3] ^= 0x01;
        assertEquals(ProofErrorCode.SIGNATURE_INVALID, codeOf(() -> Notes.open(textFlip, VerifierSet.of(PETER))));

        NoteSignature sig = Note.parse(good).signatures().get(0);
        for (int i = 0; i < 64; i += 9) {
            byte[] raw = sig.signature();
            raw[i] ^= 0x40;
            byte[] msg = new Note(TEXT, List.of(new NoteSignature(sig.name(), sig.keyId(), raw))).encode();
            assertEquals(ProofErrorCode.SIGNATURE_INVALID, codeOf(() -> Notes.open(msg, VerifierSet.of(PETER))));
        }
        byte[] otherId = new Note(TEXT, List.of(new NoteSignature(sig.name(), sig.keyId() ^ 1, sig.signature()))).encode();
        assertEquals(ProofErrorCode.NOTE_UNVERIFIED, codeOf(() -> Notes.open(otherId, VerifierSet.of(PETER))));
    }

    @Test
    void rejectsMalformedNotes() {
        String[] bad = {
            TEXT,
            TEXT + "\n",
            TEXT + "\n" + PETER_SIG.substring(0, PETER_SIG.length() - 1),
            "\u0001" + TEXT + "\n" + PETER_SIG,
            TEXT.replace("\n", "\r\n") + "\n" + PETER_SIG,
            TEXT + "\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
            TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
            TEXT + "\n- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
            TEXT + "\n\u2014 PeterNeumann\n",
            TEXT + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM\n",
            TEXT + "\n\u2014 PeterNeumann x08g\n",
            TEXT + "\n" + PETER_SIG.repeat(Note.MAX_SIGNATURES + 1),
        };
        for (String msg : bad) {
            assertEquals(ProofErrorCode.NOTE_MALFORMED, codeOf(() -> Notes.open(utf8(msg), VerifierSet.of(PETER))), msg);
        }
        byte[] invalidUtf8 = utf8(TEXT + "\n" + PETER_SIG);
        invalidUtf8[0] = (byte) 0xff;
        assertEquals(ProofErrorCode.NOTE_MALFORMED, codeOf(() -> Note.parse(invalidUtf8)));
        assertEquals(ProofErrorCode.NOTE_MALFORMED, codeOf(() -> Notes.sign("no newline", NoteKeys.parseSignerKey(PETER_SKEY))));
    }

    @Test
    void acceptsUpToTheSignatureLimit() {
        byte[] msg = utf8(TEXT + "\n" + PETER_SIG.repeat(Note.MAX_SIGNATURES));
        assertEquals(List.of(PETER), Notes.open(msg, VerifierSet.of(PETER)).verifiedBy());
    }

    @Test
    void separatesTextFromSignaturesAtTheLastBlankLine() {
        NoteSigner s = NoteKeys.parseSignerKey(PETER_SKEY);
        String text = "para one\n\npara two\n\u2014 looks like a signature\n";
        VerifiedNote n = Notes.open(Notes.sign(text, s), VerifierSet.of(PETER));
        assertEquals(text, n.text());
    }

    @Test
    void cosignsAndMergesSignaturesInADeterministicOrder() {
        NoteSigner log = Ed25519NoteSigner.fromSeed("log.example/a", new byte[32]);
        NoteSigner w1 = Ed25519NoteSigner.fromSeed("witness1.example", filled(1));
        NoteSigner w2 = Ed25519NoteSigner.fromSeed("witness2.example", filled(2));
        byte[] base = Notes.sign("body\n", log);
        byte[] byW1 = Notes.cosign(base, w1);
        byte[] byW2 = Notes.cosign(base, w2);

        byte[] merged = Notes.merge(byW1, byW2);
        List<NoteSignature> sigs = Note.parse(merged).signatures();
        assertEquals(List.of("log.example/a", "witness1.example", "witness2.example"),
                sigs.stream().map(NoteSignature::name).toList());
        assertArrayEquals(merged, Notes.merge(merged, byW2));
        assertArrayEquals(merged, Notes.cosign(byW1, w2));
        VerifiedNote all = Notes.open(merged, VerifierSet.of(log.verifier(), w1.verifier(), w2.verifier()));
        assertEquals(3, all.verifiedBy().size());
    }

    @Test
    void refusesToMergeDifferentTextsOrConflictingSignatures() {
        NoteSigner log = Ed25519NoteSigner.fromSeed("log.example/a", new byte[32]);
        assertEquals(ProofErrorCode.NOTE_TEXT_MISMATCH,
                codeOf(() -> Notes.merge(Notes.sign("a\n", log), Notes.sign("b\n", log))));
        byte[] genuine = Notes.sign("a\n", log);
        NoteSignature s = Note.parse(genuine).signatures().get(0);
        byte[] other = s.signature();
        other[0] ^= 1;
        byte[] forged = new Note("a\n", List.of(new NoteSignature(s.name(), s.keyId(), other))).encode();
        assertEquals(ProofErrorCode.NOTE_SIGNATURE_CONFLICT, codeOf(() -> Notes.merge(genuine, forged)));
    }

    @Test
    void keepsTheEarlierOfTwoCosignaturesByOneWitnessWhicheverNoteComesFirst() {
        NoteSigner log = Ed25519NoteSigner.fromSeed("log.example/a", new byte[32]);
        NoteSigner early = Ed25519CosignatureSigner.fromSeed("witness.example", filled(3), () -> 1_700_000_000L);
        NoteSigner late = Ed25519CosignatureSigner.fromSeed("witness.example", filled(3), () -> 1_700_000_007L);
        byte[] base = Notes.sign("body\n", log);
        byte[] first = Notes.cosign(base, early);
        byte[] second = Notes.cosign(base, late);

        assertArrayEquals(first, Notes.merge(first, second));
        assertArrayEquals(first, Notes.merge(second, first));
        assertEquals(2, Notes.open(first, VerifierSet.of(log.verifier(), early.verifier())).verifiedBy().size());
    }

    @Test
    void refusesAmbiguousTrustedKeys() {
        NoteVerifier impostor = new NoteVerifier() {
            public String name() {
                return PETER.name();
            }

            public int keyId() {
                return PETER.keyId();
            }

            public boolean verify(byte[] m, byte[] s) {
                return true;
            }

            public String verifierKey() {
                return "impostor";
            }
        };
        assertEquals(ProofErrorCode.NOTE_KEY_AMBIGUOUS, codeOf(() -> VerifierSet.of(PETER, impostor)));
        assertEquals(1, VerifierSet.of(PETER, NoteKeys.parseVerifierKey(PETER_VKEY)).size());
        assertEquals(2, VerifierSet.parse(List.of(PETER_VKEY, ENOCH_VKEY)).size());
    }

    private static byte[] filled(int v) {
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }
}
