package io.tracemark.proofs.tlogproof;

import io.tracemark.proofs.checkpoint.VerifiedCheckpoint;

/**
 * A tlog-proof whose checkpoint met the trust threshold and whose inclusion proof verified.
 *
 * @param index the proven leaf index
 * @param checkpoint the authenticated checkpoint
 * @param extra the proof's extra data, still unauthenticated, or {@code null}
 */
public record VerifiedTlogProof(long index, VerifiedCheckpoint checkpoint, byte[] extra) {
    /** Copies the extra data. */
    public VerifiedTlogProof {
        extra = extra == null ? null : extra.clone();
    }

    /** Returns a copy of the unauthenticated extra data, or {@code null}. */
    @Override
    public byte[] extra() {
        return extra == null ? null : extra.clone();
    }
}
