package io.tracemark.verify.verification;

import io.tracemark.proofs.canonical.RecordDigest;
import io.tracemark.proofs.receipt.CheckCode;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** {@code record.supplied.match}: the record the caller holds (canonical text) hashes to the receipt's digest. */
final class SuppliedRecordCheck {
    private SuppliedRecordCheck() {
    }

    static Check of(String callerCanonical, String receiptDigest) {
        String own = HexFormat.of().formatHex(RecordDigest.sha256(callerCanonical.getBytes(StandardCharsets.UTF_8)));
        return own.equals(receiptDigest)
                ? Check.pass(CheckCode.RECORD_SUPPLIED, "the record you supplied hashes to the receipt's digest")
                : Check.mismatch(CheckCode.RECORD_SUPPLIED, "the record you supplied hashes to a different digest than the receipt's",
                        receiptDigest, own);
    }
}
