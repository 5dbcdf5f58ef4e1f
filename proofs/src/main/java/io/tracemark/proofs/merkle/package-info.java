/**
 * RFC 9162 §2.1 Merkle tree hashing, inclusion and consistency proofs.
 *
 * <p>{@link io.tracemark.proofs.merkle.Rfc9162Verifier} holds the verifier-side algorithms;
 * {@link io.tracemark.proofs.merkle.Tlog} and {@link io.tracemark.proofs.merkle.StoredHashes} the
 * log-side ones over the golang.org/x/mod/sumdb/tlog stored-hash layout; and
 * {@link io.tracemark.proofs.merkle.CompactRange} the allocation-free append path.
 */
package io.tracemark.proofs.merkle;
