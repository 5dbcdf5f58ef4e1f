package io.tracemark.chain.witness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.cosignature.CosignatureKeys;
import io.tracemark.proofs.cosignature.Ed25519CosignatureVerifier;
import io.tracemark.proofs.cosignature.WitnessPolicy;
import io.tracemark.proofs.cosignature.WitnessedCheckpoint;
import io.tracemark.proofs.cosignature.WitnessedCheckpoints;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteSignature;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.witness.AddCheckpointRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The witness's add-checkpoint answers, each status as C2SP tlog-witness prescribes, and its memory across restarts. */
class WitnessTest {
    static final String ORIGIN = "example.com/log";

    final TestLog log = new TestLog(ORIGIN, (byte) 1, "leaf-");
    final TestLog fork = new TestLog(ORIGIN, (byte) 1, "forked-");
    Path dir;
    Witness witness;

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("witness-test-");
        witness = Witness.open(settings());
    }

    @AfterEach
    void close() {
        witness.close();
    }

    WitnessSettings settings() {
        return new WitnessSettings(dir, "w.example/1", Optional.empty(),
                List.of(ORIGIN + " " + log.key.verifier().verifierKey()));
    }

    @Test
    void cosignsTheFirstCheckpointWithATimestampedCosignatureThatVerifies() {
        WitnessResponse r = witness.addCheckpoint(log.grow(5).request(0));
        assertEquals(200, r.status(), r.text());
        assertTrue(r.text().startsWith("— w.example/1 ") && r.text().endsWith("\n") && r.text().lines().count() == 1);
        Ed25519CosignatureVerifier key = CosignatureKeys.parseVerifierKey(witness.verifierKey());
        byte[] cosigned = (new String(log.note(), StandardCharsets.UTF_8) + r.text()).getBytes(StandardCharsets.UTF_8);
        WitnessedCheckpoint w = WitnessedCheckpoints.verify(cosigned, ORIGIN, VerifierSet.of(log.key.verifier()), 1,
                WitnessPolicy.of(List.of(key), 1), Instant.now());
        long ts = w.cosignatures().get(0).timestamp();
        assertTrue(ts > 0 && Math.abs(ts - Instant.now().getEpochSecond()) < 60, "timestamp is now, never zero");
    }

    @Test
    void answers409WithTheLatestCosignedSizeWhenOldSizeDiffers() {
        assertEquals(200, witness.addCheckpoint(log.grow(5).request(0)).status());
        log.grow(3);
        for (long wrong : new long[] {0, 3, 6}) {
            WitnessResponse r = witness.addCheckpoint(log.request(wrong));
            assertEquals(409, r.status());
            assertEquals("text/x.tlog.size", r.contentType());
            assertEquals("5\n", r.text());
        }
        assertEquals(200, witness.addCheckpoint(log.request(5)).status());
        assertEquals("8\n", witness.addCheckpoint(log.grow(1).request(5)).text());
    }

    @Test
    void recosignsTheSameCheckpointAndRefusesTheSameSizeWithAnotherRoot() {
        assertEquals(200, witness.addCheckpoint(log.grow(5).request(0)).status());
        assertEquals(200, witness.addCheckpoint(log.request(5)).status());
        WitnessResponse r = witness.addCheckpoint(fork.grow(5).request(5));
        assertEquals(422, r.status());
        assertTrue(r.text().startsWith("consistency.root.mismatch: root of equal-size tree mismatch"), r.text());
    }

    @Test
    void refusesAForkWhoseConsistencyProofDoesNotReachTheCosignedRoot() {
        assertEquals(200, witness.addCheckpoint(log.grow(5).request(0)).status());
        WitnessResponse r = witness.addCheckpoint(fork.grow(9).request(5));
        assertEquals(422, r.status());
        assertTrue(r.text().startsWith("consistency.root.mismatch: "), r.text());
        assertEquals(1, witness.inconsistentCount());
        assertEquals("5\n", witness.addCheckpoint(log.request(0)).text(), "the refused fork changed nothing");
        assertEquals(200, witness.addCheckpoint(log.grow(4).request(5)).status());
    }

    @Test
    void answers404ForAnUnknownOrigin() {
        TestLog other = new TestLog("example.com/other", (byte) 1, "leaf-").grow(1);
        WitnessResponse r = witness.addCheckpoint(other.request(0));
        assertEquals(404, r.status());
        assertEquals("unknown log origin\n", r.text());
    }

    @Test
    void answers403WithoutASignatureFromATrustedKey() {
        TestLog stranger = new TestLog(ORIGIN, (byte) 9, "leaf-").grow(1);
        WitnessResponse r = witness.addCheckpoint(stranger.request(0));
        assertEquals(403, r.status());
        assertEquals("note.unverified: note has no signature from a trusted key\n", r.text());
    }

    @Test
    void answers403WhenATrustedKeysSignatureDoesNotVerify() {
        Note note = Note.parse(log.grow(2).note());
        NoteSignature s = note.signatures().get(0);
        byte[] bad = s.signature();
        bad[0] ^= 1;
        byte[] forged = new Note(note.text(), List.of(new NoteSignature(s.name(), s.keyId(), bad))).encode();
        WitnessResponse r = witness.addCheckpoint(new AddCheckpointRequest(0, List.of(), forged).encode());
        assertEquals(403, r.status());
        assertTrue(r.text().startsWith("signature.invalid: "), r.text());
    }

    @Test
    void answers400ForAnOldSizeAboveTheCheckpointOrAMalformedBody() {
        log.grow(3);
        WitnessResponse r = witness.addCheckpoint(new AddCheckpointRequest(4, List.of(), log.note()).encode());
        assertEquals(400, r.status());
        assertEquals("old size 4 exceeds checkpoint size 3\n", r.text());
        WitnessResponse garbled = witness.addCheckpoint("old 01\n\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, garbled.status());
        assertEquals("witness.request.malformed: old size '01' is not a canonical decimal\n", garbled.text());
    }

    @Test
    void answers422ForAProofFromOldSizeZeroOrAnEmptyTreeWithAnotherRoot() {
        byte[] oneHash = new byte[32];
        WitnessResponse proofFromZero = witness.addCheckpoint(
                new AddCheckpointRequest(0, List.of(oneHash), log.grow(3).note()).encode());
        assertEquals(422, proofFromZero.status());
        assertEquals("consistency proof from size 0 must be empty\n", proofFromZero.text());
        byte[] badEmpty = SignedCheckpoints.sign(new Checkpoint(ORIGIN, 0, new byte[32]), log.key);
        WitnessResponse r = witness.addCheckpoint(new AddCheckpointRequest(0, List.of(), badEmpty).encode());
        assertEquals(422, r.status());
        assertEquals("a checkpoint of size 0 must have the empty tree's root hash\n", r.text());
    }

    @Test
    void remembersTheCosignedSizeAcrossRestartsAndStillRefusesAFork() {
        assertEquals(200, witness.addCheckpoint(log.grow(7).request(0)).status());
        String key = witness.verifierKey();
        witness.close();
        witness = Witness.open(settings());
        assertEquals(key, witness.verifierKey(), "same cosigner key from the data dir");
        assertEquals("7\n", witness.addCheckpoint(log.request(0)).text());
        assertEquals(422, witness.addCheckpoint(fork.grow(8).request(7)).status());
        assertEquals(200, witness.addCheckpoint(log.grow(1).request(7)).status());
    }

    @Test
    void refusesToOpenStateAnotherWitnessHolds() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Witness.open(settings()));
        assertEquals("witness state " + dir.resolve("state") + " is in use by another process", e.getMessage());
    }

    @Test
    void servesTheLatestCosignedCheckpointToMonitorsByOriginHash() {
        String hash = WitnessStateStore.originHash(ORIGIN);
        assertEquals(Optional.empty(), witness.checkpoint(hash));
        assertEquals(200, witness.addCheckpoint(log.grow(4).request(0)).status());
        byte[] served = witness.checkpoint(hash).orElseThrow();
        WitnessedCheckpoint w = WitnessedCheckpoints.verify(served, ORIGIN, VerifierSet.of(log.key.verifier()), 1,
                WitnessPolicy.parse(List.of(witness.verifierKey()), 1), Instant.now());
        assertEquals(4, w.checkpoint().checkpoint().size());
        List<String> names = new ArrayList<>();
        Note.parse(served).signatures().forEach(s -> names.add(s.name()));
        assertEquals(List.of(ORIGIN, "w.example/1"), names);
    }
}
