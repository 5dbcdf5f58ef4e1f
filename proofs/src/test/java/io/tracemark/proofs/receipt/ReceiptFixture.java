package io.tracemark.proofs.receipt;

import io.tracemark.proofs.canonical.CanonicalJson;
import io.tracemark.proofs.canonical.RecordDigest;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.cosignature.Ed25519CosignatureSigner;
import io.tracemark.proofs.ledger.BlockHeader;
import io.tracemark.proofs.merkle.InMemoryHashStore;
import io.tracemark.proofs.merkle.Tlog;
import io.tracemark.proofs.note.Ed25519NoteSigner;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.VerifierSet;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A real receipt for tests: 13 records in a tree built with the proofs library, a checkpoint signed by
 * two Ed25519 keys, a hash-chained block of the last 6 leaves and a token from {@link TestTsa}.
 */
final class ReceiptFixture {
    static final String ORIGIN = "example.test/log";
    static final int RECORD = 9;
    static final long COSIGNED_AT = 1_767_225_700L;

    final Ed25519NoteSigner log = Ed25519NoteSigner.fromSeed("example.test/log", seed(1));
    final Ed25519NoteSigner witness = Ed25519NoteSigner.fromSeed("example.test/witness", seed(2));
    final Ed25519CosignatureSigner witness1 = Ed25519CosignatureSigner.fromSeed("witness.test/w1", seed(3), () -> COSIGNED_AT);
    final Ed25519CosignatureSigner witness2 = Ed25519CosignatureSigner.fromSeed("witness.test/w2", seed(4), () -> COSIGNED_AT);
    static final String AUTHORITY = "example-tsa";

    final TestTsa tsa;
    /** An external time-stamping authority, independent of the log's own TSA. */
    final TestTsa authority;
    final byte[] checkpointText;
    final Receipt receipt;
    final String canonical;
    /** The log at size 16 (three leaves after the receipt's checkpoint), signed by the log and both witnesses. */
    final String witnessedNote;
    /** The same checkpoint signed by the log and witness 1 only. */
    final String witnessedByOneNote;
    /** Consistency proof from 13 to 16, base64. */
    final List<String> consistency;

    ReceiptFixture() throws Exception {
        tsa = new TestTsa("Tracemark test TSA");
        authority = new TestTsa("External test authority");
        InMemoryHashStore store = new InMemoryHashStore();
        String mine = null;
        for (int i = 0; i < 13; i++) {
            String env = "{\"v\":1,\"id\":\"01REC" + i + "\",\"tenant\":\"acme\",\"type\":\"product.batch\","
                    + "\"receivedAt\":\"2026-01-01T00:00:00Z\",\"salt\":\"salt-" + i + "\",\"payload\":{\"gtin\":\"4006381333931\"}}";
            String c = new String(CanonicalJson.canonicalize(env), StandardCharsets.UTF_8);
            store.appendData(RecordDigest.sha256(c.getBytes(StandardCharsets.UTF_8)));
            if (i == RECORD) {
                mine = c;
            }
        }
        canonical = mine;
        byte[] root = store.root();
        for (int i = 13; i < 16; i++) {
            store.appendData(RecordDigest.sha256(("later-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        Checkpoint later = new Checkpoint(ORIGIN, 16, store.root());
        witnessedNote = new String(SignedCheckpoints.sign(later, log, witness1, witness2), StandardCharsets.UTF_8);
        witnessedByOneNote = new String(SignedCheckpoints.sign(later, log, witness1), StandardCharsets.UTF_8);
        consistency = Arrays.stream(Tlog.proveTree(16, 13, store)).map(h -> Base64.getEncoder().encodeToString(h)).toList();
        byte[] note = SignedCheckpoints.sign(new Checkpoint(ORIGIN, 13, root), log, witness);
        byte[][] proof = Tlog.proveRecord(13, RECORD, store);
        BlockHeader header = new BlockHeader(3, new byte[32], 7, 6, 13, root, 1_767_225_600_000L);
        String digest = HexFormat.of().formatHex(RecordDigest.sha256(mine.getBytes(StandardCharsets.UTF_8)));
        receipt = new ReceiptBuilder()
                .record("01REC" + RECORD, "acme", "product.batch", digest, "salt-" + RECORD, mine,
                        Instant.parse("2026-01-01T00:00:00Z"))
                .leaf(RECORD, Arrays.asList(proof), note)
                .block(header)
                .timestamp(tsa.stamp(Note.parse(note).textBytes()), tsa.pem())
                .authorities(new TimeAuthorities(List.of(new TimeAuthorities.Token(AUTHORITY,
                        authorityToken(authority, Note.parse(note).textBytes()))), List.of()))
                .build();
        checkpointText = Note.parse(note).textBytes();
    }

    /** Base64 of the DER token {@code by} issues over SHA-256 of {@code text}. */
    static String authorityToken(TestTsa by, byte[] text) throws Exception {
        return java.util.Base64.getEncoder().encodeToString(TimestampTokens.tokenBytes(by.stamp(text)));
    }

    /** The receipt carrying {@code note} (size 16) as its witnessed checkpoint with the proof from 13. */
    Receipt witnessed(String note) {
        return receipt.withWitnessing(WitnessEvidence.witnessed(note, consistency));
    }

    VerificationPolicy policy(int threshold) {
        return new VerificationPolicy(ORIGIN, VerifierSet.of(log.verifier(), witness.verifier()), threshold,
                List.of(tsa.certificate, authority.certificate), true);
    }

    static byte[] seed(int b) {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) b);
        return s;
    }

    static SecureRandom random() {
        return new SecureRandom();
    }
}
