package io.tracemark.proofs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.receipt.WitnessEvidence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --witness} and {@code --witness-threshold}: a witness policy checked on a receipt alone. */
class VerifyCliWitnessTest {
    private static CliFixture fx;
    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new CliFixture();
    }

    private CliRun.Result verify(Receipt receipt, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("receipt", write("r.json", ReceiptJson.write(receipt)).toString(),
                "--keys", write("keys.txt", fx.keyLines()).toString(), "--tsa-cert", write("tsa.pem", fx.tsaPem()).toString(),
                "--tsa-cert", write("authority.pem", fx.authorityPem()).toString()));
        args.addAll(List.of(extra));
        return CliRun.run(args.toArray(String[]::new));
    }

    private Path write(String name, String content) throws Exception {
        return CliRun.write(dir, name, content);
    }

    @Test
    void receiptCosignedByBothTrustedWitnessesPassesAndNamesThem() throws Exception {
        CliRun.Result r = verify(fx.witnessedByBoth(), "--witness", fx.witnessKey(1), "--witness", fx.witnessKey(2));
        assertEquals(0, r.exit(), r.line());
        assertTrue(r.line().contains("; witnessed by witness.test/w1, witness.test/w2 (2 of 2 trusted witnesses, "
                + "threshold 2) at tree size 16;"), r.line());
    }

    @Test
    void aWrongWitnessKeyFailsTheWitnessCheckNamingTheMissingWitness() throws Exception {
        CliRun.Result r = verify(fx.witnessedByBoth(), "--witness", fx.witnessKey(1), "--witness", fx.strangerWitnessKey());
        assertEquals(1, r.exit(), r.line());
        assertEquals("FAIL checkpoint.witnessed: witness.threshold: cosigned by 1 of 2 trusted witnesses "
                + "(witness.test/w1), 2 required; missing: witness.test/stranger (expected 2 of 2, computed 1)", r.line());
    }

    @Test
    void aThresholdAboveTheWitnessesThatCosignedFailsAndOneBelowPasses() throws Exception {
        CliRun.Result tooHigh = verify(fx.witnessedByOne(), "--witness", fx.witnessKey(1), "--witness", fx.witnessKey(2),
                "--witness-threshold", "2");
        assertEquals(1, tooHigh.exit(), tooHigh.line());
        assertTrue(tooHigh.line().startsWith("FAIL checkpoint.witnessed: witness.threshold: cosigned by 1 of 2 trusted "
                + "witnesses (witness.test/w1), 2 required; missing: witness.test/w2"), tooHigh.line());
        CliRun.Result enough = verify(fx.witnessedByOne(), "--witness", fx.witnessKey(1), "--witness", fx.witnessKey(2),
                "--witness-threshold", "1");
        assertEquals(0, enough.exit(), enough.line());
        assertTrue(enough.line().contains("witnessed by witness.test/w1 (1 of 2 trusted witnesses, threshold 1)"),
                enough.line());
    }

    @Test
    void aReceiptWithoutWitnessEvidenceFailsAWitnessPolicyAndSaysWhy() throws Exception {
        Receipt unwitnessed = fx.receipt().withWitnessing(WitnessEvidence.unwitnessed("the log has no witnesses"));
        CliRun.Result r = verify(unwitnessed, "--witness", fx.witnessKey(1));
        assertEquals(1, r.exit(), r.line());
        assertEquals("FAIL checkpoint.witnessed: witness.evidence.missing: the receipt carries no witnessed checkpoint "
                + "(the log has no witnesses); missing: witness.test/w1 (expected 1 of 1, computed 0)", r.line());
    }

    @Test
    void aWitnessedCheckpointThatDoesNotExtendTheReceiptsFails() throws Exception {
        Receipt r0 = fx.witnessedByBoth();
        List<String> proof = new ArrayList<>(r0.witnessing().consistencyProof());
        proof.set(0, proof.get(1));
        Receipt forged = r0.withWitnessing(WitnessEvidence.witnessed(r0.witnessing().checkpoint(), proof));
        CliRun.Result r = verify(forged, "--witness", fx.witnessKey(1), "--witness", fx.witnessKey(2));
        assertEquals(1, r.exit(), r.line());
        assertTrue(r.line().startsWith("FAIL checkpoint.witnessed: consistency.root.mismatch"), r.line());
    }

    @Test
    void withoutWitnessFlagsAWitnessedReceiptPassesAndSaysNoPolicyWasChecked() throws Exception {
        CliRun.Result r = verify(fx.witnessedByBoth());
        assertEquals(0, r.exit(), r.line());
        assertTrue(r.line().contains("; no witness policy checked (give --witness);"), r.line());
    }

    @Test
    void aWitnessThresholdAboveTheNumberOfWitnessesIsAUsageError() throws Exception {
        CliRun.Result r = verify(fx.witnessedByBoth(), "--witness", fx.witnessKey(1), "--witness-threshold", "2");
        assertEquals(2, r.exit(), r.line());
        assertTrue(r.line().startsWith("ERROR --witness-threshold must be 1 to 1"), r.line());
    }

    @Test
    void aLogKeyGivenAsWitnessIsAUsageError() throws Exception {
        String logKey = fx.keyLines().lines().findFirst().orElseThrow();
        CliRun.Result r = verify(fx.witnessedByBoth(), "--witness", logKey);
        assertEquals(2, r.exit(), r.line());
        assertTrue(r.line().startsWith("ERROR --witness: note.key.malformed: verifier key has signature type 1"), r.line());
    }
}
