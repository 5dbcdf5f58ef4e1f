package io.tracemark.proofs.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.canonical.CanonicalJson;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.note.Ed25519NoteSigner;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteVerifier;
import io.tracemark.proofs.note.Notes;
import io.tracemark.proofs.note.VerifiedNote;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.tiles.EntryBundle;
import io.tracemark.proofs.tiles.TilePath;
import io.tracemark.proofs.tlogproof.TlogProof;
import io.tracemark.proofs.witness.AddCheckpointRequest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzz targets for every parser of untrusted proof material.
 *
 * <p>The contract each target checks: a parser either returns a value or throws its documented
 * exception ({@link ProofException}, for receipts {@link IllegalArgumentException}); anything
 * else (NPE, index errors, OOM, a hang) is a finding. Where the format is canonical, a parsed
 * value must re-encode to exactly the input bytes.
 *
 * <p>Plain {@code mvn test} runs each target on its seed corpus under
 * {@code src/test/resources/io/tracemark/proofs/fuzz/ProofParsersFuzzTestInputs/<method>/}
 * (regression mode). To fuzz one target for a minute (findings are written to that directory and
 * then fail the regression run until fixed; the generated corpus goes to {@code proofs/.cifuzz-corpus/},
 * which is not to be committed):
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -pl proofs test -Dtest='ProofParsersFuzzTest#tlogProofParseRoundTripsOrThrowsProofException' \
 *     -Djazzer.max_duration=60s -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class ProofParsersFuzzTest {
    /** The key seed notes in the corpus are signed with, so the fuzzer starts from notes that verify. */
    static final Ed25519NoteSigner SEED_SIGNER = Ed25519NoteSigner.fromSeed("fuzz.tracemark.test/log", seed());
    private static final NoteVerifier VERIFIER = SEED_SIGNER.verifier();
    private static final VerifierSet TRUSTED = VerifierSet.of(VERIFIER);

    static byte[] seed() {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) 0x5a);
        return s;
    }

    @FuzzTest(maxDuration = "60s")
    void addCheckpointRequestParseRoundTripsOrThrowsProofException(byte[] input) {
        AddCheckpointRequest request;
        try {
            request = AddCheckpointRequest.parse(input);
        } catch (ProofException e) {
            assertNotNull(e.errorCode());
            return;
        }
        assertArrayEquals(input, request.encode(), "AddCheckpointRequest.parse(b).encode() must reproduce b");
    }

    @FuzzTest(maxDuration = "60s")
    void noteParseRoundTripsOrThrowsProofException(byte[] input) {
        Note note;
        try {
            note = Note.parse(input);
        } catch (ProofException e) {
            assertNotNull(e.errorCode());
            return;
        }
        assertArrayEquals(input, note.encode(), "Note.parse(b).encode() must reproduce b");
    }

    @FuzzTest(maxDuration = "60s")
    void notesOpenVerifiesOrThrowsProofException(byte[] input) {
        VerifiedNote opened;
        try {
            opened = Notes.open(input, TRUSTED);
        } catch (ProofException e) {
            assertNotNull(e.errorCode());
            return;
        }
        assertTrue(!opened.verifiedBy().isEmpty() && opened.verifiedBy().stream().allMatch(v -> v == VERIFIER),
                "an opened note is verified by the trusted key and nothing else");
        assertArrayEquals(input, opened.note().encode());
    }

    @FuzzTest(maxDuration = "60s")
    void checkpointParseRoundTripsOrThrowsProofException(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Checkpoint c;
        try {
            c = Checkpoint.parse(text);
        } catch (ProofException e) {
            assertNotNull(e.errorCode());
            return;
        }
        assertEquals(text, c.text(), "Checkpoint.parse(t).text() must reproduce t");
    }

    @FuzzTest(maxDuration = "60s")
    void tilePathParseRoundTripsOrThrowsProofException(FuzzedDataProvider data) {
        String path = data.consumeRemainingAsString();
        TilePath p;
        try {
            p = TilePath.parse(path);
        } catch (ProofException e) {
            assertNotNull(e.errorCode());
            return;
        }
        assertEquals(path, p.format(), "TilePath.parse(p).format() must reproduce p");
        assertEquals(p, TilePath.parse(p.format()));
    }

    @FuzzTest(maxDuration = "60s")
    void entryBundleDecodeRoundTripsOrThrowsProofException(byte[] input) {
        if (input.length == 0) {
            return;
        }
        // The first byte picks the expected entry count (1..256), as a tile path's width would.
        int expected = (input[0] & 0xFF) + 1;
        byte[] bundle = Arrays.copyOfRange(input, 1, input.length);
        List<byte[]> entries;
        try {
            entries = EntryBundle.decode(bundle, expected);
        } catch (ProofException e) {
            assertNotNull(e.errorCode());
            return;
        }
        assertEquals(expected, entries.size());
        assertArrayEquals(bundle, EntryBundle.encode(entries), "encode(decode(b)) must reproduce b");
    }

    @FuzzTest(maxDuration = "60s")
    void tlogProofParseRoundTripsOrThrowsProofException(byte[] input) {
        TlogProof proof;
        try {
            proof = TlogProof.parse(input);
        } catch (ProofException e) {
            assertNotNull(e.errorCode());
            return;
        }
        assertArrayEquals(input, proof.encode(), "TlogProof.parse(b).encode() must reproduce b");
    }

    @FuzzTest(maxDuration = "60s")
    void canonicalizeIsIdempotentOrThrowsProofException(byte[] input) {
        byte[] once;
        try {
            once = CanonicalJson.canonicalize(input);
        } catch (ProofException e) {
            assertNotNull(e.errorCode());
            return;
        }
        assertTrue(isUtf8(once), "canonical output must be valid UTF-8");
        assertArrayEquals(once, CanonicalJson.canonicalize(once), "canonicalize must be idempotent");
        String asText = new String(once, StandardCharsets.UTF_8);
        assertArrayEquals(once, CanonicalJson.canonicalize(asText), "String and byte[] entry points must agree");
    }

    @FuzzTest(maxDuration = "60s")
    void receiptReadIsStableOrThrowsIllegalArgument(byte[] input) {
        Receipt receipt;
        try {
            receipt = ReceiptJson.read(input);
        } catch (IllegalArgumentException e) {
            return;
        }
        String written = ReceiptJson.write(receipt);
        assertEquals(written, ReceiptJson.write(ReceiptJson.read(written.getBytes(StandardCharsets.UTF_8))),
                "a parsed receipt must survive write/read unchanged");
    }

    private static boolean isUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
