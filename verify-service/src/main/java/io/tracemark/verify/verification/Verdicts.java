package io.tracemark.verify.verification;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracemark.edge.problem.ProblemException;
import io.tracemark.proofs.receipt.CheckCode;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptCheck;
import io.tracemark.proofs.receipt.ReceiptVerifier;
import io.tracemark.proofs.tlogproof.TlogProof;
import io.tracemark.verify.chain.TrustPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The public verdict on a receipt: every check of {@code proofs}' offline {@link ReceiptVerifier} (the
 * same code and codes as the CLI), then what only an online service can add ({@link CheckCode}'s online
 * group): the caller's own record or file, consistency with the log's latest checkpoint, corrections and
 * prior claims.
 */
@ApplicationScoped
public class Verdicts {
    private final TrustPolicy trust;
    private final LedgerChecks ledger;
    private final RegistryChecks registry;
    private final int phashThreshold;

    public Verdicts(TrustPolicy trust, LedgerChecks ledger, RegistryChecks registry,
                    @ConfigProperty(name = "tracemark.verify.claims.phash-threshold") int phashThreshold) {
        this.trust = trust;
        this.ledger = ledger;
        this.registry = registry;
        this.phashThreshold = phashThreshold;
    }

    /**
     * Every check on a parsed receipt. {@code callerCanonical} is the record the caller holds (canonical
     * text, or null) and {@code body} the request, for an optional file comparison.
     */
    public Verdict verify(Receipt r, String callerCanonical, JsonNode body) {
        List<Check> checks = new ArrayList<>();
        TrustPolicy.Snapshot policy;
        try {
            policy = trust.current();
        } catch (ProblemException e) {
            checks.add(Check.error("trust.keys.available", "the ledger's keys could not be read; retry shortly"));
            return Verdict.of(r.record().id(), checks);
        }
        for (ReceiptCheck c : ReceiptVerifier.verify(r, policy.verification(), policy.memo())) {
            checks.add(Check.of(c));
        }
        if (callerCanonical != null) {
            checks.add(SuppliedRecordCheck.of(callerCanonical, r.record().digest()));
        }
        Check file = FileCheck.of(body, r.record().canonical());
        if (file != null) {
            checks.add(file);
        }
        checks.add(ledger.consistent(signedCheckpoint(r), policy));
        checks.addAll(registry.checks(r.record().id(), r.record().type(), phashThreshold));
        return Verdict.of(r.record().id(), checks);
    }

    /** The verdict on something that is not a receipt at all. */
    public static Verdict unreadable(String why) {
        return Verdict.of(null, List.of(Check.fail(CheckCode.RECEIPT_FORMAT, "not a " + Receipt.FORMAT + " receipt: " + why)));
    }

    /** The receipt's signed checkpoint note, or null when its tlog-proof does not parse (already failed offline). */
    private static String signedCheckpoint(Receipt r) {
        try {
            return new String(TlogProof.parse(r.tlogProof().getBytes(StandardCharsets.UTF_8)).signedCheckpoint(),
                    StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
