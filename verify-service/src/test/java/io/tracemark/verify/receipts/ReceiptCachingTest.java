package io.tracemark.verify.receipts;

import io.tracemark.proofs.receipt.CheckCode;
import io.tracemark.proofs.receipt.ReceiptCheck;
import io.tracemark.proofs.receipt.ReceiptCheck.Status;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How long a cache may keep a receipt: long only once it carries every signature the trust policy requires. */
class ReceiptCachingTest {
    private static List<ReceiptCheck> checks(Status signature, Status witnessed) {
        List<ReceiptCheck> out = new ArrayList<>();
        out.add(new ReceiptCheck(CheckCode.RECEIPT_FORMAT, Status.PASS, null, null, null));
        out.add(new ReceiptCheck(CheckCode.CHECKPOINT_SIGNATURE, signature, "2", signature == Status.PASS ? "2" : "1", null));
        out.add(new ReceiptCheck(CheckCode.INCLUSION_PROOF, Status.PASS, null, null, null));
        out.add(new ReceiptCheck(CheckCode.CHECKPOINT_WITNESSED, witnessed, "2 of 2", null, null));
        return out;
    }

    @Test
    void receiptSignedByEveryReplicaAndCosignedByEnoughWitnessesIsCachedLong() {
        assertEquals(ReceiptCaching.COSIGNED, ReceiptCaching.of(checks(Status.PASS, Status.PASS), true));
    }

    @Test
    void receiptCosignedByFewerTrustedWitnessesThanTheThresholdIsCachedBriefly() {
        // The witnessed check fails with "cosigned by 1 of 2 trusted witnesses": the second cosignature is on its way.
        assertEquals(ReceiptCaching.CACHE, ReceiptCaching.of(checks(Status.PASS, Status.FAIL), true));
    }

    @Test
    void receiptWithoutWitnessEvidenceIsCachedBrieflyWhileWitnessesAreTrusted() {
        assertEquals(ReceiptCaching.CACHE, ReceiptCaching.of(checks(Status.PASS, Status.SKIPPED), true));
    }

    @Test
    void receiptMissingAReplicaSignatureIsCachedBrieflyEvenWhenWitnessed() {
        assertEquals(ReceiptCaching.CACHE, ReceiptCaching.of(checks(Status.FAIL, Status.PASS), true));
    }

    @Test
    void withoutTrustedWitnessesEveryReplicaSignatureIsEnough() {
        assertEquals(ReceiptCaching.COSIGNED, ReceiptCaching.of(checks(Status.PASS, Status.SKIPPED), false));
    }
}
