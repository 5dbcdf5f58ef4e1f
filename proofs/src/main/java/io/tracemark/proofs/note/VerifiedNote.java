package io.tracemark.proofs.note;

import java.util.List;

/**
 * Result of {@link Notes#open}: the note, which trusted keys signed it, and the signatures from
 * keys that were not trusted and so were ignored.
 *
 * @param note the parsed note
 * @param verifiedBy distinct trusted verifiers whose signatures verified, in line order
 * @param unverified signatures from unknown keys, duplicates removed
 */
public record VerifiedNote(Note note, List<NoteVerifier> verifiedBy, List<NoteSignature> unverified) {
    /** Copies the lists. */
    public VerifiedNote {
        verifiedBy = List.copyOf(verifiedBy);
        unverified = List.copyOf(unverified);
    }

    /** Returns the authenticated note text. */
    public String text() {
        return note.text();
    }
}
