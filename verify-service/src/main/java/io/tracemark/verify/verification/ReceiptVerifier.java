package io.tracemark.verify.verification;

import io.tracemark.edge.problem.ProblemException;
import io.tracemark.verify.chain.TrustPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs every check on a receipt in a fixed order and folds them into a {@link Verdict}. Checks that
 * need a well-formed receipt are skipped (not passed) when it is malformed.
 */
@ApplicationScoped
public class ReceiptVerifier {
    /** Check codes that need the receipt's fields, in evaluation order. */
    static final List<String> RECEIPT_CODES = List.of("record.digest.match", "receipt.fields.match",
            "checkpoint.signature.valid", "inclusion.proof.valid", "checkpoint.consistent", "block.leaf.contained",
            "timestamp.token.valid", "record.superseded", "claim.prior.exists");

    private final TrustPolicy trust;
    private final LedgerChecks ledger;
    private final RegistryChecks registry;
    private final int threshold;

    public ReceiptVerifier(TrustPolicy trust, LedgerChecks ledger, RegistryChecks registry,
                           @ConfigProperty(name = "tracemark.verify.claims.phash-threshold") int threshold) {
        this.trust = trust;
        this.ledger = ledger;
        this.registry = registry;
        this.threshold = threshold;
    }

    /**
     * Verifies a receipt; {@code callerCanonical} is the record the caller holds (canonical JSON) and
     * {@code fileCheck} the result of comparing the caller's file, either may be null.
     */
    public Verdict verify(ReceiptInput r, String callerCanonical, Check fileCheck) {
        List<Check> checks = new ArrayList<>();
        if (!r.wellFormed()) {
            checks.add(Check.fail("receipt.wellformed", String.join("; ", r.errors())));
            RECEIPT_CODES.forEach(c -> checks.add(Check.skip(c, "the receipt is malformed")));
            return Verdict.of(r.recordId(), checks);
        }
        checks.add(Check.pass("receipt.wellformed", "every receipt field is present with its type"));
        TrustPolicy.Snapshot policy;
        try {
            policy = trust.current();
        } catch (ProblemException e) {
            checks.add(Check.error("trust.keys.available", "the ledger's keys could not be read; retry shortly"));
            return Verdict.of(r.recordId(), checks);
        }
        checks.add(ReceiptChecks.digest(r, callerCanonical));
        if (fileCheck != null) {
            checks.add(fileCheck);
        }
        checks.add(ReceiptChecks.fields(r, policy.origin()));
        checks.add(ReceiptChecks.signatures(r, policy));
        checks.add(ReceiptChecks.inclusion(r));
        checks.add(ledger.consistent(r, policy));
        checks.add(ledger.block(r));
        checks.add(TimestampCheck.check(r, policy));
        checks.add(registry.superseded(r.recordId()));
        checks.add(registry.priorClaim(r.recordId(), r.type(), threshold));
        return Verdict.of(r.recordId(), checks);
    }
}
