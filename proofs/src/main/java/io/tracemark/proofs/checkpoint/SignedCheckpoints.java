package io.tracemark.proofs.checkpoint;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.note.NoteSigner;
import io.tracemark.proofs.note.Notes;
import io.tracemark.proofs.note.VerifiedNote;
import io.tracemark.proofs.note.VerifierSet;

/** Signing checkpoints into signed notes and verifying them against a trust policy. */
public final class SignedCheckpoints {
    private SignedCheckpoints() {
    }

    /**
     * Signs a checkpoint body into a signed note (C2SP tlog-checkpoint "Signatures"); the log's own
     * key should come first and, by convention, be named after the origin.
     */
    public static byte[] sign(Checkpoint checkpoint, NoteSigner... signers) {
        return Notes.sign(checkpoint.text(), signers);
    }

    /**
     * Verifies a signed checkpoint: at least {@code threshold} distinct keys from {@code trusted}
     * must have signed it, none of their signatures may be bad, and the origin must match.
     *
     * <p>Signatures are checked before the body is interpreted, so an unauthenticated body is
     * never parsed for meaning.
     *
     * @throws ProofException {@code note.malformed}, {@code signature.invalid},
     *     {@code note.unverified}, {@code signature.threshold}, {@code checkpoint.malformed} or
     *     {@code checkpoint.origin.mismatch}
     */
    public static VerifiedCheckpoint verify(byte[] signedNote, String expectedOrigin, VerifierSet trusted,
            int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1, got " + threshold);
        }
        if (expectedOrigin == null || expectedOrigin.isEmpty()) {
            throw new IllegalArgumentException("expected origin is required");
        }
        VerifiedNote note = Notes.open(signedNote, trusted);
        if (note.verifiedBy().size() < threshold) {
            throw new ProofException(ProofErrorCode.SIGNATURE_THRESHOLD, "checkpoint signed by "
                    + note.verifiedBy().size() + " trusted keys, need " + threshold);
        }
        Checkpoint checkpoint = Checkpoint.parse(note.text());
        if (!checkpoint.origin().equals(expectedOrigin)) {
            throw new ProofException(ProofErrorCode.CHECKPOINT_ORIGIN_MISMATCH,
                    "checkpoint origin '" + checkpoint.origin() + "', expected '" + expectedOrigin + "'");
        }
        return new VerifiedCheckpoint(checkpoint, note);
    }
}
