package io.tracemark.proofs.cosignature;

/**
 * A witness cosignature that verified.
 *
 * @param witness the trusted cosigner key
 * @param timestamp when the witness cosigned, POSIX seconds
 */
public record WitnessCosignature(Ed25519CosignatureVerifier witness, long timestamp) {
}
