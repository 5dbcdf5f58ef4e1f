package io.tracemark.proofs.checkpoint;

import io.tracemark.proofs.note.NoteVerifier;
import io.tracemark.proofs.note.VerifiedNote;
import java.util.List;

/**
 * A checkpoint whose signatures met a trust threshold.
 *
 * @param checkpoint the authenticated checkpoint body
 * @param note the opened note, including ignored signatures from unknown keys
 */
public record VerifiedCheckpoint(Checkpoint checkpoint, VerifiedNote note) {
    /** Returns the distinct trusted keys whose signatures verified. */
    public List<NoteVerifier> verifiedBy() {
        return note.verifiedBy();
    }
}
