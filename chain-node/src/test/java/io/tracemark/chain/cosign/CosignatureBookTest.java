package io.tracemark.chain.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracemark.chain.checkpoint.CheckpointSigner;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.cosignature.Ed25519CosignatureSigner;
import io.tracemark.proofs.cosignature.WitnessPolicy;
import io.tracemark.proofs.cosignature.WitnessedCheckpoints;
import io.tracemark.proofs.note.Ed25519NoteSigner;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteSignature;
import io.tracemark.proofs.note.VerifierSet;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CosignatureBookTest {
    private static final String ORIGIN = "tracemark.local/log";
    private final SecureRandom random = new SecureRandom();
    private final CheckpointSigner own = signer("tracemark.local/a");
    private final CheckpointSigner other = signer("tracemark.local/b");
    private final CheckpointSigner stranger = signer("tracemark.local/c");
    private final CosignatureBook book = new CosignatureBook(ORIGIN, "tracemark.local/a",
            TrustPolicy.pinned(List.of(other.signer().verifier().verifierKey())));
    private final String body = own.body(42, new byte[32]);

    private CheckpointSigner signer(String name) {
        return new CheckpointSigner(ORIGIN, Ed25519NoteSigner.generate(name, random));
    }

    private CosignatureMessage message(CheckpointSigner by, long size, String line) {
        return new CosignatureMessage(ORIGIN, size, by.signer().name(), by.signer().verifier().verifierKey(), line);
    }

    @Test
    void mergesATrustedCosignatureAfterTheOwnSignature() {
        book.recordOwn(42, body, own.sign(body));
        assertTrue(book.offer(message(other, 42, CheckpointSigner.line(other.sign(body)))));
        byte[] note = book.note(42).orElseThrow().getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("tracemark.local/a", "tracemark.local/b"),
                Note.parse(note).signatures().stream().map(s -> s.name()).toList());
        SignedCheckpoints.verify(note, ORIGIN, VerifierSet.of(own.signer().verifier(), other.signer().verifier()), 2);
        assertEquals(1, book.mergedCount());
    }

    @Test
    void mergesCosignaturesThatArriveBeforeTheOwnCheckpoint() {
        assertFalse(book.offer(message(other, 42, CheckpointSigner.line(other.sign(body)))));
        book.recordOwn(42, body, own.sign(body));
        assertEquals(2, Note.parse(book.note(42).orElseThrow().getBytes(StandardCharsets.UTF_8)).signatures().size());
    }

    @Test
    void rejectsUntrustedForeignOrSmuggledSignatureLines() {
        book.recordOwn(42, body, own.sign(body));
        String good = CheckpointSigner.line(other.sign(body));
        String otherBody = own.body(43, new byte[32]);
        assertFalse(book.offer(message(stranger, 42, CheckpointSigner.line(stranger.sign(body)))), "untrusted key");
        assertFalse(book.offer(message(other, 42, CheckpointSigner.line(other.sign(otherBody)))), "other body");
        assertFalse(book.offer(message(other, 42, good + "\n" + CheckpointSigner.line(stranger.sign(body)))),
                "a second line smuggled in");
        // One bit flipped inside the signature (rewriting its last base64 characters could leave it unchanged when
        // its last bytes already were those: a test that failed about once in a few thousand runs).
        int space = good.lastIndexOf(' ');
        byte[] raw = java.util.Base64.getDecoder().decode(good.substring(space + 1));
        raw[20] ^= 0x01;
        String bad = good.substring(0, space + 1) + java.util.Base64.getEncoder().encodeToString(raw);
        assertFalse(book.offer(message(other, 42, bad)), "bad signature");
        assertEquals(1, Note.parse(book.note(42).orElseThrow().getBytes(StandardCharsets.UTF_8)).signatures().size());
        assertEquals(0, book.mergedCount());
    }

    @Test
    void addsWitnessCosignaturesBesideReplicaSignaturesOnlyToTheBodyTheyCover() {
        book.recordOwn(42, body, own.sign(body));
        book.offer(message(other, 42, CheckpointSigner.line(other.sign(body))));
        // A witness whose key name collides with a replica's keeps both lines: they differ in key ID.
        Ed25519CosignatureSigner witness = Ed25519CosignatureSigner.generate("tracemark.local/b", random, () -> 1_800_000_000L);
        NoteSignature cosignature = new NoteSignature(witness.name(), witness.keyId(),
                witness.sign(body.getBytes(StandardCharsets.UTF_8)));
        byte[] otherRoot = new byte[32];
        otherRoot[0] = 1;
        book.addWitnessCosignature(42, own.body(42, otherRoot), cosignature);
        assertEquals(2, Note.parse(book.note(42).orElseThrow().getBytes(StandardCharsets.UTF_8)).signatures().size(),
                "not added to a checkpoint with another body");
        book.addWitnessCosignature(42, body, cosignature);
        book.addWitnessCosignature(41, body, cosignature);
        byte[] note = book.note(42).orElseThrow().getBytes(StandardCharsets.UTF_8);
        assertEquals(3, Note.parse(note).signatures().size());
        WitnessedCheckpoints.verify(note, ORIGIN, VerifierSet.of(own.signer().verifier(), other.signer().verifier()), 2,
                WitnessPolicy.of(List.of(witness.verifier()), 1), Instant.ofEpochSecond(1_800_000_000L));
    }
}
