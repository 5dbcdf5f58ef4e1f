package io.tracemark.localstack.load;

import io.tracemark.contracts.ledger.LedgerKeys;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.receipt.CheckCode;
import io.tracemark.proofs.receipt.CheckMemo;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptCheck;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.receipt.ReceiptVerifier;
import io.tracemark.proofs.receipt.TimestampTokens;
import io.tracemark.proofs.receipt.VerificationPolicy;
import org.bouncycastle.cert.X509CertificateHolder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks the receipt each {@code record.anchored} event carries, offline, with proofs' own
 * {@link ReceiptVerifier} (what the {@code proofs} CLI runs): trusted keys, origin and TSA certificates
 * as the chain-node replicas publish them at {@code /v1/keys}, and a checkpoint signed by every replica.
 * It also checks that the receipt is about the record, digest, leaf and tenant the event names.
 */
public final class ReceiptAudit {
    private final VerificationPolicy policy;
    private final String tenant;
    private final Function<String, byte[]> laterReceipt;
    /** The checkpoint signature and time-stamp checks, once per signed note and token: a block's receipts share them. */
    private final Map<String, ReceiptCheck> remembered = new ConcurrentHashMap<>();
    private final CheckMemo memo = (key, check) -> remembered.computeIfAbsent(key, k -> check.get());
    /** How long, from the start of {@link #checkAll}, an under-signed record's later receipt may take to verify. */
    private static final Duration SETTLE = Duration.ofMinutes(2);
    private volatile long settleDeadline = System.nanoTime();
    private final AtomicInteger fetchedAgain = new AtomicInteger();

    /**
     * The receipts checked, those without an RFC 3161 token (allowed, as the CLI allows it by default),
     * the under-signed records whose receipt from verify carried every signature only when fetched again (a replica
     * had not caught up yet), and the failures by record id with the first failing check.
     */
    public record Outcome(int checked, int withoutTimestamp, int fetchedAgain, Map<String, String> failures) {
    }

    ReceiptAudit(VerificationPolicy policy, String tenant) {
        this(policy, tenant, id -> null);
    }

    /**
     * An audit that, for a record whose event says its checkpoint had fewer signatures than the replicas (one
     * was down when the block was anchored; attest waits only a bounded time), checks the receipt the public
     * verify service serves now instead ({@code laterReceipt}: record id to bundle JSON, or null): the per-block
     * fact collects the late replica's signature, so that receipt must carry all of them.
     */
    ReceiptAudit(VerificationPolicy policy, String tenant, Function<String, byte[]> laterReceipt) {
        this.policy = policy;
        this.tenant = tenant;
        this.laterReceipt = laterReceipt;
    }

    /**
     * The policy of a log whose replicas answered {@code /v1/keys} with {@code replicaKeys}: every verifier key and TSA
     * certificate (the log's own and its external authorities') they publish, their common origin, and
     * {@code threshold} signatures.
     */
    static VerificationPolicy policy(Collection<LedgerKeys> replicaKeys, int threshold) {
        Set<String> keys = new LinkedHashSet<>();
        Set<String> origins = new LinkedHashSet<>();
        Set<String> pems = new LinkedHashSet<>();
        for (LedgerKeys d : replicaKeys) {
            keys.addAll(d.verifierKeys());
            origins.add(d.origin());
            if (d.tsaCertificate() != null) {
                pems.add(d.tsaCertificate());
            }
            // The external time-stamping authorities the operator configured, as the offline CLI trusts them.
            d.timestampAuthorities().forEach(a -> pems.add(a.certificate()));
        }
        if (origins.size() > 1) {
            throw new IllegalStateException("chain-node replicas publish different origins: " + origins);
        }
        List<X509CertificateHolder> tsa = new ArrayList<>();
        pems.forEach(p -> tsa.add(TimestampTokens.parseCertificatePem(p)));
        try {
            return new VerificationPolicy(origins.isEmpty() ? null : origins.iterator().next(),
                    VerifierSet.parse(List.copyOf(keys)), threshold, tsa, false);
        } catch (ProofException e) {
            throw new IllegalStateException("unusable verifier keys from /v1/keys: " + e.getMessage(), e);
        }
    }

    /** Checks every anchored record's receipt, in parallel (the stack is idle by now). */
    Outcome checkAll(Collection<RunEvents.Anchored> anchored) {
        settleDeadline = System.nanoTime() + SETTLE.toNanos();
        Map<String, String> failures = new ConcurrentHashMap<>();
        AtomicInteger checked = new AtomicInteger();
        AtomicInteger noToken = new AtomicInteger();
        anchored.parallelStream().forEach(a -> {
            Verdict v = check(a);
            checked.incrementAndGet();
            if (v.withoutTimestamp()) {
                noToken.incrementAndGet();
            }
            if (v.failure() != null) {
                failures.put(a.recordId(), v.failure());
            }
        });
        return new Outcome(checked.get(), noToken.get(), fetchedAgain.get(), Map.copyOf(failures));
    }

    /** One receipt's verdict: the first failure (null when it verifies) and whether it lacked a time-stamp token. */
    record Verdict(String failure, boolean withoutTimestamp) {
    }

    /**
     * Checks one record's receipt (for an under-signed event, the one verify serves now). A replica that was down
     * signs the block when it has caught up, and attest merges that into the block's fact when it reads the copy,
     * which a run ending right after a fault can outpace: verify's receipt is fetched again until it verifies or the
     * run's settle time (shared by every record) has passed.
     */
    Verdict check(RunEvents.Anchored a) {
        if (a.underSigned()) {
            for (int fetch = 1; ; fetch++) {
                byte[] later = laterReceipt.apply(a.recordId());
                Verdict v = later == null
                        ? new Verdict("record.anchored carried fewer signatures than replicas and verify serves no receipt", false)
                        : check(new RunEvents.Anchored(a.recordId(), a.digest(), a.leafIndex(), a.anchoredAt(), later, false));
                if (v.failure() == null || System.nanoTime() > settleDeadline) {
                    if (v.failure() == null && fetch > 1) {
                        fetchedAgain.incrementAndGet();
                    }
                    return v;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return v;
                }
            }
        }
        if (a.receipt() == null) {
            return new Verdict("record.anchored event carries no receipt", false);
        }
        Receipt r;
        try {
            r = ReceiptJson.read(a.receipt());
        } catch (IllegalArgumentException e) {
            return new Verdict(CheckCode.RECEIPT_FORMAT + ": " + e.getMessage(), false);
        }
        String mismatch = mismatch(a, r);
        List<ReceiptCheck> checks = ReceiptVerifier.verify(r, policy, memo);
        boolean noToken = checks.stream().anyMatch(c -> c.code().equals(CheckCode.TIMESTAMP_TOKEN)
                && c.status() == ReceiptCheck.Status.SKIPPED);
        Optional<ReceiptCheck> failed = ReceiptVerifier.firstFailure(checks);
        if (failed.isPresent()) {
            ReceiptCheck c = failed.get();
            return new Verdict(c.code() + ": " + c.detail() + (c.expected() == null && c.computed() == null ? ""
                    : " (expected " + c.expected() + ", computed " + c.computed() + ")"), noToken);
        }
        return new Verdict(mismatch, noToken);
    }

    /** Whether the receipt is about what the event says: same record, tenant, digest and leaf. */
    private String mismatch(RunEvents.Anchored a, Receipt r) {
        if (!a.recordId().equals(r.record().id())) {
            return "receipt is about record " + r.record().id() + ", the event about " + a.recordId();
        }
        if (!tenant.equals(r.record().tenant())) {
            return "receipt names tenant " + r.record().tenant() + ", the run's is " + tenant;
        }
        if (a.digest() != null && !a.digest().equals(r.record().digest())) {
            return "receipt digest " + r.record().digest() + " != event digest " + a.digest();
        }
        if (a.leafIndex() >= 0 && a.leafIndex() != r.leafIndex()) {
            return "receipt leaf " + r.leafIndex() + " != event leaf " + a.leafIndex();
        }
        return null;
    }
}
