package io.tracemark.proofs.tlogproof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.canonical.RecordDigest;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.merkle.InMemoryHashStore;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.merkle.Tlog;
import io.tracemark.proofs.note.Ed25519NoteSigner;
import io.tracemark.proofs.note.NoteSigner;
import io.tracemark.proofs.note.VerifierSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TlogProofTest {
    private static final String ORIGIN = "tracemark.example/log";
    private static final NoteSigner LOG = Ed25519NoteSigner.fromSeed(ORIGIN, seed(7));
    private static final NoteSigner WITNESS = Ed25519NoteSigner.fromSeed("witness.example", seed(8));
    private static final VerifierSet TRUSTED = VerifierSet.of(LOG.verifier(), WITNESS.verifier());
    private static final int SIZE = 1000;
    private static final List<byte[]> DIGESTS = new ArrayList<>();
    private static InMemoryHashStore store;
    private static byte[] checkpoint;

    private static byte[] seed(int v) {
        byte[] b = new byte[32];
        b[31] = (byte) v;
        return b;
    }

    @BeforeAll
    static void buildLog() {
        store = new InMemoryHashStore();
        for (int i = 0; i < SIZE; i++) {
            byte[] digest = RecordDigest.ofJson("{\"record\":" + i + "}");
            DIGESTS.add(digest);
            store.appendData(digest);
        }
        checkpoint = SignedCheckpoints.sign(new Checkpoint(ORIGIN, SIZE, store.root()), LOG, WITNESS);
    }

    private static TlogProof proofFor(long index, byte[] extra) {
        return TlogProof.of(index, Tlog.proveRecord(SIZE, index, store), checkpoint, extra);
    }

    private static ProofErrorCode codeOf(Executable e) {
        return assertThrows(ProofException.class, e).errorCode();
    }

    private static String text(TlogProof p) {
        return new String(p.encode(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void encodesInTheC2spLayout() {
        TlogProof p = proofFor(998, "ctx".getBytes(StandardCharsets.US_ASCII));
        byte[][] hashes = p.proofHashes();
        StringBuilder expected = new StringBuilder("c2sp.org/tlog-proof@v1\nextra Y3R4\nindex 998\n");
        for (byte[] h : hashes) {
            expected.append(Base64.getEncoder().encodeToString(h)).append('\n');
        }
        expected.append('\n').append(new String(checkpoint, StandardCharsets.UTF_8));
        assertEquals(expected.toString(), text(p));
        assertEquals("c2sp.org/tlog-proof@v1\nindex 998\n", text(proofFor(998, null)).substring(0, 33));
    }

    @Test
    void roundTripsAndVerifiesEveryFiftiethRecord() {
        for (int i = 0; i < SIZE; i += 50) {
            byte[] file = proofFor(i, i % 100 == 0 ? null : new byte[] {(byte) i}).encode();
            TlogProof parsed = TlogProof.parse(file);
            assertArrayEquals(file, parsed.encode());
            VerifiedTlogProof v = TlogProofVerifier.verifyLeafData(file, DIGESTS.get(i), ORIGIN, TRUSTED, 2);
            assertEquals(i, v.index());
            assertEquals(SIZE, v.checkpoint().checkpoint().size());
            TlogProofVerifier.verifyLeafHash(parsed, Rfc9162Hasher.leafHash(DIGESTS.get(i)), ORIGIN, TRUSTED, 2);
        }
        assertNull(TlogProof.parse(proofFor(0, null).encode()).extra());
        assertArrayEquals(new byte[0], TlogProof.parse(proofFor(0, new byte[0]).encode()).extra());
    }

    @Test
    void rejectsTlogProofWithFlippedByteInAProofHash() {
        TlogProof p = proofFor(321, null);
        for (int h = 0; h < p.hashes().size(); h++) {
            byte[][] hashes = p.proofHashes();
            hashes[h][h] ^= 0x01;
            TlogProof bad = TlogProof.of(321, hashes, checkpoint, null);
            assertEquals(ProofErrorCode.INCLUSION_ROOT_MISMATCH,
                    codeOf(() -> TlogProofVerifier.verifyLeafData(bad.encode(), DIGESTS.get(321), ORIGIN, TRUSTED, 1)));
        }
    }

    @Test
    void rejectsTheWrongLeafIndexOrProofShape() {
        String good = text(proofFor(321, null));
        byte[] wrongIndex = bytes(good.replace("index 321\n", "index 320\n"));
        assertEquals(ProofErrorCode.INCLUSION_ROOT_MISMATCH,
                codeOf(() -> TlogProofVerifier.verifyLeafData(wrongIndex, DIGESTS.get(321), ORIGIN, TRUSTED, 1)));
        byte[] beyond = bytes(good.replace("index 321\n", "index 1000\n"));
        assertEquals(ProofErrorCode.INCLUSION_INDEX_OUT_OF_RANGE,
                codeOf(() -> TlogProofVerifier.verifyLeafData(beyond, DIGESTS.get(321), ORIGIN, TRUSTED, 1)));
        String firstHash = Base64.getEncoder().encodeToString(proofFor(321, null).proofHashes()[0]) + "\n";
        byte[] dropped = bytes(good.replaceFirst(java.util.regex.Pattern.quote(firstHash), ""));
        assertEquals(ProofErrorCode.INCLUSION_PROOF_LENGTH,
                codeOf(() -> TlogProofVerifier.verifyLeafData(dropped, DIGESTS.get(321), ORIGIN, TRUSTED, 1)));
        assertEquals(ProofErrorCode.INCLUSION_ROOT_MISMATCH,
                codeOf(() -> TlogProofVerifier.verifyLeafData(bytes(good), DIGESTS.get(322), ORIGIN, TRUSTED, 1)));
    }

    @Test
    void rejectsUntrustedForgedOrForeignCheckpoints() {
        byte[] file = proofFor(5, null).encode();
        assertEquals(ProofErrorCode.NOTE_UNVERIFIED, codeOf(() -> TlogProofVerifier.verifyLeafData(file, DIGESTS.get(5),
                ORIGIN, VerifierSet.of(Ed25519NoteSigner.fromSeed(ORIGIN, seed(9)).verifier()), 1)));
        assertEquals(ProofErrorCode.SIGNATURE_THRESHOLD, codeOf(() -> TlogProofVerifier.verifyLeafData(file,
                DIGESTS.get(5), ORIGIN, VerifierSet.of(LOG.verifier()), 2)));
        assertEquals(ProofErrorCode.CHECKPOINT_ORIGIN_MISMATCH, codeOf(() -> TlogProofVerifier.verifyLeafData(file,
                DIGESTS.get(5), "other.example/log", TRUSTED, 1)));
        String forgedSize = text(proofFor(5, null)).replace("\n" + SIZE + "\n", "\n" + (SIZE + 1) + "\n");
        assertEquals(ProofErrorCode.SIGNATURE_INVALID, codeOf(() -> TlogProofVerifier.verifyLeafData(bytes(forgedSize),
                DIGESTS.get(5), ORIGIN, TRUSTED, 1)));
    }

    @Test
    void rejectsMalformedProofFiles() {
        String good = text(proofFor(7, "x".getBytes(StandardCharsets.US_ASCII)));
        String firstHash = Base64.getEncoder().encodeToString(proofFor(7, null).proofHashes()[0]);
        String[] bad = {
            "",
            good.replace("c2sp.org/tlog-proof@v1", "c2sp.org/tlog-proof@v2"),
            good.replace("c2sp.org/tlog-proof@v1\n", ""),
            good.replace("extra eA==", "extra eA"),
            good.replace("extra eA==", "extra !!"),
            good.replace("extra eA==", "extras eA=="),
            good.replace("index 7", "index 07"),
            good.replace("index 7", "index -7"),
            good.replace("index 7", "index +7"),
            good.replace("index 7", "index  7"),
            good.replace("index 7", "index 7 "),
            good.replace("index 7", "index"),
            good.replace("index 7", "index 99999999999999999999"),
            good.replace("index 7\n", "index 7\nextra eA==\n"),
            good.replace(firstHash, firstHash.substring(0, 43)),
            good.replace(firstHash, firstHash + "AAAA"),
            good.replace(firstHash + "\n", firstHash + "\r\n"),
            good.substring(0, good.indexOf("\n\n") + 2),
            good.substring(0, good.indexOf("\n\n")),
            good.replace("\n\n" + ORIGIN, "\n" + ORIGIN),
            good.replace("\n" + SIZE + "\n", "\n0" + SIZE + "\n"),
            good.substring(0, good.length() - 1),
        };
        for (String s : bad) {
            assertEquals(ProofErrorCode.TLOG_PROOF_MALFORMED, codeOf(() -> TlogProof.parse(bytes(s))), s);
        }
    }

    @Test
    void refusesToBuildAProofThatCouldNotBeParsed() {
        byte[][] none = new byte[0][];
        assertEquals(ProofErrorCode.TLOG_PROOF_MALFORMED,
                codeOf(() -> TlogProof.of(0, none, bytes("not a note\n"), null)));
        assertEquals(ProofErrorCode.TLOG_PROOF_MALFORMED,
                codeOf(() -> TlogProof.of(0, new byte[][] {new byte[31]}, checkpoint, null)));
        assertEquals(ProofErrorCode.TLOG_PROOF_MALFORMED, codeOf(() -> TlogProof.of(-1, none, checkpoint, null)));
    }
}
