package io.tracemark.proofs.receipt;

import io.tracemark.proofs.cosignature.WitnessPolicy;
import io.tracemark.proofs.note.VerifierSet;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * What a verifier trusts: the log's origin, its note verifier keys and how many must have signed,
 * the TSA certificates, and whether a receipt without a time-stamp token is acceptable.
 *
 * @param origin           expected checkpoint origin, or {@code null} to accept the signed origin as is
 *                         (the trusted keys still bind it)
 * @param trustedKeys      note verifier keys of the log and its cosigners
 * @param threshold        minimum number of distinct trusted signatures on the checkpoint
 * @param trustedTsa       TSA certificates; empty means the token is checked against the certificate the
 *                         receipt carries, which proves integrity but not who stamped it
 * @param requireTimestamp whether a missing token fails instead of being skipped
 * @param witnesses        the witnesses (C2SP tlog-cosignature keys) of which k must have cosigned the receipt's
 *                         witnessed checkpoint; {@link WitnessPolicy#none()} when none are trusted
 * @param requireWitnessed whether a receipt without a witnessed checkpoint fails the witness policy instead of
 *                         being skipped (offline it must fail; an online verifier checks the live log instead)
 */
public record VerificationPolicy(String origin, VerifierSet trustedKeys, int threshold,
                                 List<X509CertificateHolder> trustedTsa, boolean requireTimestamp,
                                 WitnessPolicy witnesses, boolean requireWitnessed) {
    /** Validates the threshold and copies the list. */
    public VerificationPolicy {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1");
        }
        trustedTsa = List.copyOf(trustedTsa);
        witnesses = witnesses == null ? WitnessPolicy.none() : witnesses;
    }

    /** A policy that trusts no witnesses. */
    public VerificationPolicy(String origin, VerifierSet trustedKeys, int threshold,
                              List<X509CertificateHolder> trustedTsa, boolean requireTimestamp) {
        this(origin, trustedKeys, threshold, trustedTsa, requireTimestamp, WitnessPolicy.none(), false);
    }

    /** This policy with {@code policy}'s witnesses; {@code required}: a receipt without witness evidence fails. */
    public VerificationPolicy withWitnesses(WitnessPolicy policy, boolean required) {
        return new VerificationPolicy(origin, trustedKeys, threshold, trustedTsa, requireTimestamp, policy, required);
    }
}
