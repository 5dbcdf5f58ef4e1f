package io.tracemark.proofs.cosignature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.note.Ed25519NoteSigner;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteSignature;
import io.tracemark.proofs.note.VerifierSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A log-signed checkpoint checked against k-of-n witness policies. */
class WitnessedCheckpointsTest {
    static final String ORIGIN = "example.com/log";
    static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

    final Ed25519NoteSigner log = Ed25519NoteSigner.fromSeed(ORIGIN, seed(1));
    final Ed25519CosignatureSigner w1 = Ed25519CosignatureSigner.fromSeed("w1.example", seed(2), NOW::getEpochSecond);
    final Ed25519CosignatureSigner w2 = Ed25519CosignatureSigner.fromSeed("w2.example", seed(3), NOW::getEpochSecond);
    final Ed25519CosignatureSigner w3 = Ed25519CosignatureSigner.fromSeed("w3.example", seed(4), NOW::getEpochSecond);
    final Checkpoint checkpoint = new Checkpoint(ORIGIN, 10, new byte[32]);

    @Test
    void acceptsTwoOfThreeWitnessesAndReportsTheirTimestamps() {
        byte[] note = SignedCheckpoints.sign(checkpoint, log, w1, w3);
        WitnessedCheckpoint ok = verify(note, WitnessPolicy.of(List.of(w1.verifier(), w2.verifier(), w3.verifier()), 2));
        assertEquals(List.of(new WitnessCosignature(w1.verifier(), NOW.getEpochSecond()),
                new WitnessCosignature(w3.verifier(), NOW.getEpochSecond())), ok.cosignatures());
        assertEquals(10, ok.checkpoint().checkpoint().size());
    }

    @Test
    void refusesFewerWitnessesThanTheThreshold() {
        byte[] note = SignedCheckpoints.sign(checkpoint, log, w1);
        ProofException e = assertThrows(ProofException.class,
                () -> verify(note, WitnessPolicy.of(List.of(w1.verifier(), w2.verifier()), 2)));
        assertEquals("witness.threshold: checkpoint cosigned by 1 trusted witnesses, need 2", e.getMessage());
    }

    @Test
    void ignoresCosignaturesFromUnknownWitnesses() {
        byte[] note = SignedCheckpoints.sign(checkpoint, log, w1, w2);
        assertEquals(1, verify(note, WitnessPolicy.of(List.of(w1.verifier()), 1)).cosignatures().size());
    }

    @Test
    void refusesACosignatureMadeForAnotherCheckpoint() {
        byte[] other = SignedCheckpoints.sign(new Checkpoint(ORIGIN, 11, new byte[32]), w1);
        NoteSignature moved = Note.parse(other).signatures().get(0);
        byte[] note = withExtraLine(SignedCheckpoints.sign(checkpoint, log), moved);
        ProofException e = assertThrows(ProofException.class,
                () -> verify(note, WitnessPolicy.of(List.of(w1.verifier()), 1)));
        assertEquals(ProofErrorCode.SIGNATURE_INVALID, e.errorCode());
    }

    @Test
    void refusesACosignatureFromTheFuture() {
        Ed25519CosignatureSigner late = Ed25519CosignatureSigner.fromSeed("w1.example", seed(2),
                () -> NOW.getEpochSecond() + 601);
        byte[] note = SignedCheckpoints.sign(checkpoint, log, late);
        ProofException e = assertThrows(ProofException.class,
                () -> verify(note, WitnessPolicy.of(List.of(w1.verifier()), 1)));
        assertEquals("cosignature.timestamp.future: cosignature from w1.example is timestamped "
                + (NOW.getEpochSecond() + 601) + ", after " + (NOW.getEpochSecond() + 600), e.getMessage());
    }

    @Test
    void refusesWitnessCosignaturesWithoutTheLogSignature() {
        byte[] note = SignedCheckpoints.sign(checkpoint, w1);
        ProofException e = assertThrows(ProofException.class,
                () -> verify(note, WitnessPolicy.of(List.of(w1.verifier()), 1)));
        assertEquals(ProofErrorCode.NOTE_UNVERIFIED, e.errorCode());
    }

    private WitnessedCheckpoint verify(byte[] note, WitnessPolicy policy) {
        return WitnessedCheckpoints.verify(note, ORIGIN, VerifierSet.of(log.verifier()), 1, policy, NOW);
    }

    private static byte[] withExtraLine(byte[] note, NoteSignature extra) {
        Note n = Note.parse(note);
        List<NoteSignature> sigs = new ArrayList<>(n.signatures());
        sigs.add(extra);
        return new Note(n.text(), sigs).encode();
    }

    private static byte[] seed(int b) {
        byte[] s = new byte[32];
        java.util.Arrays.fill(s, (byte) b);
        return s;
    }
}
