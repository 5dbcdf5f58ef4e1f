package io.tracemark.proofs.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.note.Ed25519NoteSigner;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteSignature;
import io.tracemark.proofs.note.NoteSigner;
import io.tracemark.proofs.note.Notes;
import io.tracemark.proofs.note.VerifierSet;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointTest {
    private static final String SPEC_BODY = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    private static final NoteSigner LOG = Ed25519NoteSigner.fromSeed("example.com/log", seed(1));
    private static final NoteSigner W1 = Ed25519NoteSigner.fromSeed("w1.example", seed(2));
    private static final NoteSigner W2 = Ed25519NoteSigner.fromSeed("w2.example", seed(3));
    private static final VerifierSet ALL = VerifierSet.of(LOG.verifier(), W1.verifier(), W2.verifier());

    private static byte[] seed(int v) {
        byte[] b = new byte[32];
        b[0] = (byte) v;
        return b;
    }

    private static ProofErrorCode codeOf(Executable e) {
        return assertThrows(ProofException.class, e).errorCode();
    }

    @Test
    void parsesAndReformatsTheSpecExampleBody() {
        Checkpoint c = Checkpoint.parse(SPEC_BODY);
        assertEquals("example.com/behind-the-sofa", c.origin());
        assertEquals(20852163L, c.size());
        assertArrayEquals(Base64.getDecoder().decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="), c.rootHash());
        assertEquals(List.of(), c.extensionLines());
        assertEquals(SPEC_BODY, c.text());
    }

    @Test
    void roundTripsExtensionLinesAndTheEmptyTree() {
        Checkpoint c = new Checkpoint("o", 0, Rfc9162Hasher.emptyRoot(), List.of("ext one", "ext+two"));
        assertEquals("o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\next+two\n", c.text());
        assertEquals(c, Checkpoint.parse(c.text()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "o\n", "o\n1\n", "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=",
        "\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "o\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "o\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "o\n+1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "o\n 1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "o\n1e3\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "o\n9223372036854775808\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n",
        "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n",
        "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==\n",
        "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n",
        "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\next\n\n",
        "o\r\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
    })
    void rejectsMalformedBodies(String body) {
        assertEquals(ProofErrorCode.CHECKPOINT_MALFORMED, codeOf(() -> Checkpoint.parse(body)));
    }

    @Test
    void verifiesASignedCheckpointAgainstAThreshold() {
        Checkpoint c = Checkpoint.parse(SPEC_BODY);
        byte[] note = SignedCheckpoints.sign(c, LOG, W1, W2);
        VerifiedCheckpoint v = SignedCheckpoints.verify(note, c.origin(), ALL, 3);
        assertEquals(c, v.checkpoint());
        assertEquals(3, v.verifiedBy().size());
        assertEquals(ProofErrorCode.SIGNATURE_THRESHOLD, codeOf(() -> SignedCheckpoints.verify(
                SignedCheckpoints.sign(c, LOG, W1), c.origin(), ALL, 3)));
        assertEquals(ProofErrorCode.CHECKPOINT_ORIGIN_MISMATCH,
                codeOf(() -> SignedCheckpoints.verify(note, "example.com/other", ALL, 1)));
        assertEquals(ProofErrorCode.NOTE_UNVERIFIED,
                codeOf(() -> SignedCheckpoints.verify(note, c.origin(), VerifierSet.of(), 1)));
        assertThrows(IllegalArgumentException.class, () -> SignedCheckpoints.verify(note, c.origin(), ALL, 0));
    }

    @Test
    void rejectsACheckpointWhoseSizeOrRootWasAltered() {
        Checkpoint c = Checkpoint.parse(SPEC_BODY);
        Note signed = Note.parse(SignedCheckpoints.sign(c, LOG));
        for (String altered : new String[] {SPEC_BODY.replace("20852163", "20852164"),
                SPEC_BODY.replace("CsUY", "DsUY")}) {
            byte[] forged = new Note(altered, signed.signatures()).encode();
            assertEquals(ProofErrorCode.SIGNATURE_INVALID,
                    codeOf(() -> SignedCheckpoints.verify(forged, c.origin(), ALL, 1)));
        }
    }

    @Test
    void checksSignaturesBeforeReadingTheBody() {
        // A signed note that is not a checkpoint is only reported as such once authenticated.
        byte[] notCheckpoint = Notes.sign("hello\n", LOG);
        assertEquals(ProofErrorCode.CHECKPOINT_MALFORMED,
                codeOf(() -> SignedCheckpoints.verify(notCheckpoint, "hello", ALL, 1)));
        NoteSignature s = Note.parse(notCheckpoint).signatures().get(0);
        byte[] unsigned = new Note("hello\n", List.of(new NoteSignature("stranger", s.keyId(), s.signature()))).encode();
        assertEquals(ProofErrorCode.NOTE_UNVERIFIED, codeOf(() -> SignedCheckpoints.verify(unsigned, "hello", ALL, 1)));
        assertEquals("hello\n", new String(Note.parse(unsigned).textBytes(), StandardCharsets.UTF_8));
    }
}
