package io.tracemark.verify.verification;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracemark.edge.problem.ProblemException;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptCheck;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.receipt.ReceiptVerifier;
import io.tracemark.proofs.receipt.TimestampTokens;
import io.tracemark.proofs.receipt.VerificationPolicy;
import io.tracemark.proofs.tlogproof.TlogProof;
import io.tracemark.verify.chain.TrustPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Verifies a {@code proofs} receipt bundle ({@link Receipt#FORMAT}) with the library's own offline
 * {@link ReceiptVerifier}, then adds what only a service can know: consistency with the ledger's latest
 * checkpoint, corrections and prior claims.
 */
@ApplicationScoped
public class BundleVerifier {
    private final TrustPolicy trust;
    private final LedgerChecks ledger;
    private final RegistryChecks registry;
    private final int threshold;

    public BundleVerifier(TrustPolicy trust, LedgerChecks ledger, RegistryChecks registry,
                          @ConfigProperty(name = "tracemark.verify.claims.phash-threshold") int threshold) {
        this.trust = trust;
        this.ledger = ledger;
        this.registry = registry;
        this.threshold = threshold;
    }

    /** Whether a submitted receipt is a bundle rather than the flat receipt. */
    public static boolean isBundle(JsonNode receipt) {
        return receipt != null && receipt.isObject() && receipt.has("format");
    }

    /** Every check on the bundle; {@code body} is the request, for an optional file comparison. */
    public Verdict verify(JsonNode receipt, JsonNode body) {
        List<Check> checks = new ArrayList<>();
        Receipt r;
        try {
            r = ReceiptJson.read(receipt.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            checks.add(Check.fail("receipt.wellformed", "not a " + Receipt.FORMAT + " receipt"));
            return Verdict.of(null, checks);
        }
        TrustPolicy.Snapshot policy;
        try {
            policy = trust.current();
        } catch (ProblemException e) {
            checks.add(Check.error("trust.keys.available", "the ledger's keys could not be read; retry shortly"));
            return Verdict.of(r.record().id(), checks);
        }
        List<org.bouncycastle.cert.X509CertificateHolder> tsa = new ArrayList<>();
        if (policy.tsaCertificate() != null && !policy.tsaCertificate().isBlank()) {
            tsa.add(TimestampTokens.parseCertificatePem(policy.tsaCertificate()));
        }
        VerificationPolicy vp = new VerificationPolicy(policy.origin(), policy.trusted(), policy.threshold(), tsa, false);
        try {
            for (ReceiptCheck c : ReceiptVerifier.verify(r, vp)) {
                String result = c.status() == ReceiptCheck.Status.SKIPPED ? Check.SKIP : c.status().name().toLowerCase(Locale.ROOT);
                checks.add(new Check(c.code(), result, c.detail(), c.expected(), c.computed(), null));
            }
        } catch (RuntimeException e) {
            checks.add(Check.fail("receipt.wellformed", "the receipt's fields are malformed"));
            return Verdict.of(r.record().id(), checks);
        }
        Check file = FileCheck.of(body, r.record().canonical());
        if (file != null) {
            checks.add(file);
        }
        String note;
        try {
            note = new String(TlogProof.parse(r.tlogProof().getBytes(StandardCharsets.UTF_8)).signedCheckpoint(),
                    StandardCharsets.UTF_8);
            checks.add(ledger.consistent(note, policy));
        } catch (RuntimeException e) {
            checks.add(Check.fail("checkpoint.consistent", "the receipt's tlog-proof is unreadable"));
        }
        checks.add(registry.superseded(r.record().id()));
        checks.add(registry.priorClaim(r.record().id(), r.record().type(), threshold));
        return Verdict.of(r.record().id(), checks);
    }
}
