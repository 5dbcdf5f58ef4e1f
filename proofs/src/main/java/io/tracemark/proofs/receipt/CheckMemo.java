package io.tracemark.proofs.receipt;

import java.util.function.Supplier;

/**
 * Remembers the outcome of receipt checks that depend only on bytes many receipts share and on the
 * policy: the checkpoint signature check (same signed note, same outcome) and the RFC 3161 check (same
 * token over the same note). Thousands of receipts of one block share one checkpoint, so a verifier that
 * keeps one memo per {@link VerificationPolicy} verifies each checkpoint's signatures and time-stamp once.
 *
 * <p>A memo must only be reused with the policy it was filled under.
 */
@FunctionalInterface
public interface CheckMemo {
    /** A memo that remembers nothing: every check runs. */
    CheckMemo NONE = (key, check) -> check.get();

    /** The remembered outcome for {@code key}, or the outcome of {@code check}, remembered. */
    ReceiptCheck remember(String key, Supplier<ReceiptCheck> check);
}
