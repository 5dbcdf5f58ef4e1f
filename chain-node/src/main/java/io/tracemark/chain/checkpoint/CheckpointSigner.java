package io.tracemark.chain.checkpoint;

import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteSignature;
import io.tracemark.proofs.note.NoteSigner;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Signs this log's checkpoints: C2SP tlog-checkpoint bodies (https://c2sp.org/tlog-checkpoint)
 * under the replica's C2SP signed-note key. Ed25519 is deterministic, so signing the same body
 * again yields the signature that was published before.
 */
public final class CheckpointSigner {
    private final String origin;
    private final NoteSigner signer;

    /** A signer of checkpoints of {@code origin} with {@code signer}. */
    public CheckpointSigner(String origin, NoteSigner signer) {
        this.origin = origin;
        this.signer = signer;
    }

    /** The checkpoint body (note text) of the tree of {@code size} leaves with root {@code root}. */
    public String body(long size, byte[] root) {
        return new Checkpoint(origin, size, root).text();
    }

    /** This replica's signature over a note text. */
    public NoteSignature sign(String text) {
        return new NoteSignature(signer.name(), signer.keyId(), signer.sign(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The note carrying only this replica's signature. */
    public String note(String body) {
        return encode(new Note(body, List.of(sign(body))));
    }

    /** The signature line as exchanged on the signatures topic: the note line without its newline. */
    public static String line(NoteSignature signature) {
        String line = signature.line();
        return line.substring(0, line.length() - 1);
    }

    /** A note as served: its UTF-8 encoding, as a string. */
    public static String encode(Note note) {
        return new String(note.encode(), StandardCharsets.UTF_8);
    }

    /** The log origin. */
    public String origin() {
        return origin;
    }

    /** The note signer key. */
    public NoteSigner signer() {
        return signer;
    }
}
