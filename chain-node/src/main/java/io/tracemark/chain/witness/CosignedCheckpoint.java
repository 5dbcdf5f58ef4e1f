package io.tracemark.chain.witness;

import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.note.Note;

/**
 * The latest checkpoint a witness cosigned for one log, with the log signatures it verified and its
 * own cosignature: what it compares the next submission with, and what it serves to monitors.
 *
 * @param checkpoint the checkpoint body
 * @param note the note as stored and served
 */
public record CosignedCheckpoint(Checkpoint checkpoint, Note note) {
    /** Parses a stored note. */
    static CosignedCheckpoint parse(byte[] note) {
        Note n = Note.parse(note);
        return new CosignedCheckpoint(Checkpoint.parse(n.text()), n);
    }
}
