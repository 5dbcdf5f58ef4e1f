package io.tracemark.proofs.cosignature;

import java.time.Duration;
import java.util.List;

/**
 * Which witnesses a verifier trusts and how many of them must have cosigned a checkpoint
 * (C2SP tlog-proof "Verification", step 3: k of n known witnesses).
 *
 * @param witnesses the n trusted cosigner keys
 * @param threshold k, from 0 (no witnessing required) to n
 * @param maxFutureSkew how far past the verifier's clock a cosignature timestamp may lie before it
 *     is rejected (C2SP tlog-cosignature: verifiers MAY reject future timestamps)
 */
public record WitnessPolicy(List<Ed25519CosignatureVerifier> witnesses, int threshold, Duration maxFutureSkew) {
    /** Default tolerance for clocks that disagree: ten minutes. */
    public static final Duration DEFAULT_FUTURE_SKEW = Duration.ofMinutes(10);

    /** Validates the threshold and copies the list. */
    public WitnessPolicy {
        witnesses = List.copyOf(witnesses);
        if (threshold < 0 || threshold > witnesses.size()) {
            throw new IllegalArgumentException("witness threshold must be 0 to " + witnesses.size() + ", got " + threshold);
        }
        if (maxFutureSkew == null || maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("future skew must be zero or positive");
        }
    }

    /** {@code threshold} of {@code witnesses}, with the default future skew. */
    public static WitnessPolicy of(List<Ed25519CosignatureVerifier> witnesses, int threshold) {
        return new WitnessPolicy(witnesses, threshold, DEFAULT_FUTURE_SKEW);
    }

    /** Parses each vkey with {@link CosignatureKeys#parseVerifierKey}; {@code threshold} of them must cosign. */
    public static WitnessPolicy parse(List<String> witnessVkeys, int threshold) {
        return of(witnessVkeys.stream().map(CosignatureKeys::parseVerifierKey).toList(), threshold);
    }

    /** No witnesses required: what a verifier without witness configuration checks. */
    public static WitnessPolicy none() {
        return of(List.of(), 0);
    }
}
