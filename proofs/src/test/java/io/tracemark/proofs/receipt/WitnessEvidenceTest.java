package io.tracemark.proofs.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracemark.proofs.cosignature.WitnessPolicy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The receipt's witnessing section: its JSON and the {@code checkpoint.witnessed} check. */
class WitnessEvidenceTest {
    private static ReceiptFixture fx;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new ReceiptFixture();
    }

    private static ReceiptCheck witnessCheck(Receipt r, VerificationPolicy p) {
        return ReceiptVerifier.verify(r, p).stream().filter(c -> c.code().equals(CheckCode.CHECKPOINT_WITNESSED))
                .findFirst().orElseThrow();
    }

    private static VerificationPolicy policy(int k, boolean required) {
        return fx.policy(2).withWitnesses(WitnessPolicy.of(List.of(fx.witness1.verifier(), fx.witness2.verifier()), k),
                required);
    }

    @Test
    void witnessedSectionRoundTripsThroughJsonAndOldReceiptsStillParse() {
        Receipt r = fx.witnessed(fx.witnessedNote);
        String json = ReceiptJson.write(r);
        assertTrue(json.contains("\"witnessing\":{\"status\":\"witnessed\",\"checkpoint\":"), json);
        assertEquals(r, ReceiptJson.read(json.getBytes(StandardCharsets.UTF_8)));
        Receipt old = ReceiptJson.read(ReceiptJson.write(fx.receipt).getBytes(StandardCharsets.UTF_8));
        assertNull(old.witnessing());
        String unwitnessed = ReceiptJson.write(fx.receipt.withWitnessing(WitnessEvidence.unwitnessed("none yet")));
        assertTrue(unwitnessed.contains("\"witnessing\":{\"status\":\"unwitnessed\",\"reason\":\"none yet\"},\"authorities\":{"),
                unwitnessed);
        assertEquals(WitnessEvidence.unwitnessed("none yet"), ReceiptJson.read(unwitnessed.getBytes(StandardCharsets.UTF_8)).witnessing());
    }

    @Test
    void passingCheckNamesEachCosignerAndItsTime() {
        ReceiptCheck c = witnessCheck(fx.witnessed(fx.witnessedNote), policy(2, true));
        assertEquals(ReceiptCheck.Status.PASS, c.status(), c.detail());
        assertEquals(List.of("witness.test/w1", "witness.test/w2"), c.facts().get("cosignedBy"));
        assertEquals(List.of(), c.facts().get("missing"));
        assertEquals(16L, c.facts().get("treeSize"));
        assertEquals(Map.of("name", "witness.test/w1", "time", "2026-01-01T00:01:40Z"),
                ((List<?>) c.facts().get("cosignedAt")).get(0));
    }

    @Test
    void anOnlineVerifierSkipsAReceiptWithoutEvidenceButStillFailsBadEvidence() {
        assertEquals(ReceiptCheck.Status.SKIPPED, witnessCheck(fx.receipt, policy(2, false)).status());
        ReceiptCheck tooFew = witnessCheck(fx.witnessed(fx.witnessedByOneNote), policy(2, false));
        assertEquals(ReceiptCheck.Status.FAIL, tooFew.status());
        assertEquals(List.of("witness.test/w2"), tooFew.facts().get("missing"));
    }

    @Test
    void aCosignatureOverAnotherCheckpointIsRefused() {
        String other = fx.witnessedNote.replaceFirst("\n16\n", "\n17\n");
        ReceiptCheck c = witnessCheck(fx.witnessed(other), policy(1, true));
        assertTrue(c.failed());
        assertFalse(c.detail().isEmpty());
    }

    @Test
    void noTrustedWitnessesSkipsTheCheck() {
        ReceiptCheck c = witnessCheck(fx.witnessed(fx.witnessedNote), fx.policy(2));
        assertEquals(ReceiptCheck.Status.SKIPPED, c.status());
    }
}
