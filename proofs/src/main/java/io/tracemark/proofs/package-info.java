/**
 * Tracemark proof primitives shared by services and offline verifiers.
 *
 * <p>Sub-packages are organised by specification: {@code merkle} (RFC 9162 §2.1), {@code tiles}
 * (C2SP tlog-tiles), {@code note} (C2SP signed-note), {@code checkpoint} (C2SP tlog-checkpoint),
 * {@code tlogproof} (C2SP tlog-proof) and {@code canonical} (RFC 8785). Every verification failure
 * is a {@link io.tracemark.proofs.ProofException} carrying a stable {@link
 * io.tracemark.proofs.ProofErrorCode}.
 */
package io.tracemark.proofs;
