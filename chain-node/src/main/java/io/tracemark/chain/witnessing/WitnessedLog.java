package io.tracemark.chain.witnessing;

import io.tracemark.proofs.note.NoteSignature;

/** What a witness client needs from the log: its latest checkpoint, consistency proofs, and where cosignatures go. */
public interface WitnessedLog {
    /**
     * A signed checkpoint as this replica serves it.
     *
     * @param size tree size
     * @param body checkpoint note text
     * @param note the signed note
     */
    record SignedCheckpoint(long size, String body, byte[] note) {
    }

    /** The latest durable, signed checkpoint. */
    SignedCheckpoint latest();

    /** RFC 6962 §2.1.2 consistency proof from {@code from} to {@code to}, both at most the latest size. */
    byte[][] consistencyProof(long from, long to);

    /** Adds a verified witness cosignature to the served checkpoint of {@code size}, if it is still served. */
    void addCosignature(long size, String body, NoteSignature cosignature);
}
