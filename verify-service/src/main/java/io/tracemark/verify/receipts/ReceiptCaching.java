package io.tracemark.verify.receipts;

import io.tracemark.proofs.receipt.CheckCode;
import io.tracemark.proofs.receipt.ReceiptCheck;

import java.util.List;

/**
 * How long a cache in front of verify may keep a receipt. A receipt embeds its block's checkpoint, which gains
 * replica signatures as the replicas cosign it, and the freshest witnessed checkpoint, which gains cosignatures as the
 * witnesses answer; until it carries every signature the trust policy requires it must be fetched again soon.
 */
final class ReceiptCaching {
    /** Still gaining signatures or cosignatures: cacheable briefly. */
    static final String CACHE = "public, max-age=5";
    /** Verifies with every signature the policy requires: it changes rarely. */
    static final String COSIGNED = "public, max-age=3600";

    private ReceiptCaching() {
    }

    /**
     * The {@code Cache-Control} value for a receipt given its checks under the current trust policy: long only when no
     * check failed and, when witnesses are trusted, the witnessed-checkpoint check passed (a receipt cosigned by fewer
     * trusted witnesses than the threshold fails it; one without witness evidence skips it).
     */
    static String of(List<ReceiptCheck> checks, boolean witnessesTrusted) {
        boolean failed = checks.stream().anyMatch(ReceiptCheck::failed);
        boolean witnessed = !witnessesTrusted || checks.stream().anyMatch(c -> CheckCode.CHECKPOINT_WITNESSED.equals(c.code())
                && c.status() == ReceiptCheck.Status.PASS);
        return !failed && witnessed ? COSIGNED : CACHE;
    }
}
