package io.tracemark.proofs.absence;

import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.merkle.InMemoryHashStore;
import io.tracemark.proofs.note.Ed25519NoteSigner;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.tiles.EntryBundle;
import io.tracemark.proofs.tiles.Tiles;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The signed absence statement's format, its verification, and its audit against entry bundles. */
class AbsenceStatementTest {
    private static final String ORIGIN = "example.com/log";
    private final Ed25519NoteSigner replica = Ed25519NoteSigner.fromSeed(ORIGIN, new byte[32]);
    private final VerifierSet trusted = VerifierSet.of(replica.verifier());

    @Test
    void aStatementReadsBackAsWrittenAndIsNeverACheckpoint() {
        AbsenceStatement s = new AbsenceStatement(ORIGIN, 42, bytes(1), bytes(2));
        assertEquals(s, AbsenceStatement.parse(s.text()));
        assertEquals("tracemark.dev/leaf-absence/v1\nexample.com/log\n42\n" + java.util.Base64.getEncoder().encodeToString(bytes(1))
                + "\n" + "02".repeat(32) + "\n", s.text());
        ProofException asCheckpoint = assertThrows(ProofException.class, () -> Checkpoint.parse(s.text()));
        assertEquals("checkpoint.malformed", asCheckpoint.code());
    }

    @Test
    void malformedStatementsAreRefusedWithAStableCode() {
        String good = new AbsenceStatement(ORIGIN, 42, bytes(1), bytes(2)).text();
        for (String bad : List.of(good.replace("v1", "v2"), good.replace("\n42\n", "\n042\n"), good.replace("\n42\n", "\n-1\n"),
                good.substring(0, good.length() - 1), good + "extra\n", good.replace("02".repeat(32), "02".repeat(31)),
                good.replace("02".repeat(32), "AB".repeat(32)), good.replace("=\n", "\n"))) {
            ProofException e = assertThrows(ProofException.class, () -> AbsenceStatement.parse(bad), bad);
            assertEquals("absence.malformed", e.code(), bad);
        }
    }

    @Test
    void verificationNeedsATrustedSignatureTheOriginAndTheAskedHash() {
        byte[] note = new AbsenceStatement(ORIGIN, 7, bytes(1), bytes(2)).sign(replica);
        assertEquals(7, AbsenceStatement.verify(note, ORIGIN, trusted, 1, bytes(2)).treeSize());
        assertEquals("absence.hash.mismatch", assertThrows(ProofException.class,
                () -> AbsenceStatement.verify(note, ORIGIN, trusted, 1, bytes(3))).code());
        assertEquals("absence.origin.mismatch", assertThrows(ProofException.class,
                () -> AbsenceStatement.verify(note, "other.example/log", trusted, 1, bytes(2))).code());
        Ed25519NoteSigner stranger = Ed25519NoteSigner.fromSeed(ORIGIN, bytes(9));
        byte[] forged = new AbsenceStatement(ORIGIN, 7, bytes(1), bytes(2)).sign(stranger);
        assertEquals("note.unverified", assertThrows(ProofException.class,
                () -> AbsenceStatement.verify(forged, ORIGIN, trusted, 1, bytes(2))).code());
        byte[] tampered = new String(note, StandardCharsets.UTF_8).replace("\n7\n", "\n8\n").getBytes(StandardCharsets.UTF_8);
        assertEquals("signature.invalid", assertThrows(ProofException.class,
                () -> AbsenceStatement.verify(tampered, ORIGIN, trusted, 1, bytes(2))).code());
    }

    @Test
    void theAuditConfirmsATrueStatementAndNamesTheLeafThatContradictsAFalseOne() {
        List<byte[]> leaves = new ArrayList<>();
        InMemoryHashStore tree = new InMemoryHashStore();
        for (int i = 0; i < 700; i++) {
            byte[] d = bytes(i % 200 + 10);
            d[31] = (byte) (i / 200);
            leaves.add(d);
            tree.appendData(d);
        }
        byte[] root = tree.root();
        java.util.function.Function<io.tracemark.proofs.tiles.TilePath, byte[]> bundles = t -> {
            int from = (int) t.index() * Tiles.WIDTH;
            return EntryBundle.encode(leaves.subList(from, from + t.width()));
        };
        assertEquals(AbsenceAudit.Outcome.CONFIRMED,
                AbsenceAudit.audit(new AbsenceStatement(ORIGIN, 700, root, bytes(250)), bundles::apply).outcome());
        AbsenceAudit.Result lie = AbsenceAudit.audit(new AbsenceStatement(ORIGIN, 700, root, leaves.get(613)), bundles::apply);
        assertEquals(AbsenceAudit.Outcome.CONTRADICTED, lie.outcome());
        assertEquals(613, lie.leafIndex());
        assertEquals(AbsenceAudit.Outcome.ROOT_MISMATCH,
                AbsenceAudit.audit(new AbsenceStatement(ORIGIN, 700, bytes(5), bytes(250)), bundles::apply).outcome());
    }

    private static byte[] bytes(int fill) {
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }
}
