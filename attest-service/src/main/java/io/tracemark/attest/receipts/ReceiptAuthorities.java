package io.tracemark.attest.receipts;

import io.tracemark.attest.ledger.ChainNodeClient;
import io.tracemark.contracts.ledger.AuthorityTimestamps;
import io.tracemark.proofs.receipt.TimeAuthorities;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The external time-stamping authorities' part of a block's receipts ({@link TimeAuthorities}): whatever
 * tokens the chain node holds for the block's checkpoint when the block is anchored, never waited for, so a
 * slow authority never delays anchoring; the authorities still pending or missing are named in the receipt.
 * verify's receipts, built when asked, carry the tokens that arrived later.
 */
@ApplicationScoped
public class ReceiptAuthorities {
    private static final Logger LOG = Logger.getLogger(ReceiptAuthorities.class);

    @Inject
    ChainNodeClient chain;

    /** The receipt section for the checkpoint of {@code treeSize}, or {@code null} when there is nothing to say. */
    public TimeAuthorities of(long treeSize) {
        AuthorityTimestamps a;
        try {
            a = chain.authorities(treeSize).orElse(null);
        } catch (RuntimeException e) {
            // The record is anchored all the same; its receipt lacks only this optional evidence.
            LOG.debugf(e, "no external authorities' tokens for tree size %d", treeSize);
            return null;
        }
        return a == null ? null : toReceipt(a);
    }

    /** The chain node's answer as the receipt carries it: tokens by name; pending and missing both as missing. */
    public static TimeAuthorities toReceipt(AuthorityTimestamps a) {
        List<String> missing = new ArrayList<>(a.pending());
        missing.addAll(a.missing());
        TimeAuthorities t = new TimeAuthorities(a.tokens().stream()
                .map(k -> new TimeAuthorities.Token(k.name(), k.token())).toList(), missing);
        return t.isEmpty() ? null : t;
    }
}
