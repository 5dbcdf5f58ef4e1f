package io.tracemark.proofs.note;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Signing, verifying, cosigning and merging C2SP signed notes. */
public final class Notes {
    /** Length of a {@code cosignature/v1} timestamped Ed25519 signature: 8 timestamp bytes, then 64. */
    private static final int COSIGNATURE_LENGTH = 8 + 64;
    private Notes() {
    }

    /**
     * Signs {@code text} (which must end in a newline) with each signer, in order
     * (C2SP signed-note "Format").
     *
     * @throws ProofException {@code note.malformed} if the text cannot be carried by a note
     */
    public static byte[] sign(String text, NoteSigner... signers) {
        return addSignatures(new Note(text, List.of()), signers).encode();
    }

    /**
     * Returns {@code note} with a fresh signature from each signer. As in golang.org/x/mod/sumdb/note,
     * an existing signature by the same key is dropped, the others keep their order, and the new
     * ones follow in signer order, so the output is deterministic.
     */
    public static Note addSignatures(Note note, NoteSigner... signers) {
        byte[] text = note.textBytes();
        List<NoteSignature> fresh = new ArrayList<>(signers.length);
        for (NoteSigner s : signers) {
            NoteSignature sig = new NoteSignature(s.name(), s.keyId(), s.sign(text));
            if (fresh.stream().anyMatch(sig::sameKey)) {
                throw new IllegalArgumentException("signer " + s.name() + " given twice");
            }
            fresh.add(sig);
        }
        List<NoteSignature> out = new ArrayList<>();
        for (NoteSignature old : note.signatures()) {
            if (fresh.stream().noneMatch(old::sameKey)) {
                out.add(old);
            }
        }
        out.addAll(fresh);
        return new Note(note.text(), out);
    }

    /**
     * Adds {@code signer}'s signature to an already signed note, e.g. a witness cosignature.
     * Existing signatures are not verified here; open the note first if that matters.
     *
     * @throws ProofException {@code note.malformed} if the input is not a well-formed note
     */
    public static byte[] cosign(byte[] signedNote, NoteSigner signer) {
        return addSignatures(Note.parse(signedNote), signer).encode();
    }

    /**
     * Merges the signatures of two notes with the same text: {@code a}'s lines in order, then
     * {@code b}'s lines from keys not already present, in order; exact duplicates collapse, and of two
     * cosignatures by one witness at different times the earlier is kept (in {@code a}'s position).
     *
     * @throws ProofException {@code note.text.mismatch} if the texts differ,
     *     {@code note.signature.conflict} if one key signed differently in each
     */
    public static byte[] merge(byte[] a, byte[] b) {
        Note na = Note.parse(a);
        Note nb = Note.parse(b);
        if (!na.text().equals(nb.text())) {
            throw new ProofException(ProofErrorCode.NOTE_TEXT_MISMATCH, "cannot merge signatures of different notes");
        }
        List<NoteSignature> out = new ArrayList<>();
        for (NoteSignature s : concat(na.signatures(), nb.signatures())) {
            int at = indexOfKey(out, s);
            if (at < 0) {
                out.add(s);
            } else if (!out.get(at).equals(s)) {
                out.set(at, earlierCosignature(out.get(at), s));
            }
        }
        return new Note(na.text(), out).encode();
    }

    private static int indexOfKey(List<NoteSignature> sigs, NoteSignature s) {
        for (int i = 0; i < sigs.size(); i++) {
            if (sigs.get(i).sameKey(s)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Of two different lines from one key, the earlier if both are timestamped cosignatures (C2SP tlog-cosignature:
     * an 8-byte big-endian timestamp, then the 64-byte Ed25519 signature): a witness that cosigned the same
     * checkpoint twice, at different seconds, signed two valid lines, and the earlier says more. Plain signed-note
     * Ed25519 signatures are deterministic, so two different ones from one key are a conflict.
     *
     * @throws ProofException {@code note.signature.conflict} otherwise
     */
    private static NoteSignature earlierCosignature(NoteSignature a, NoteSignature b) {
        byte[] sa = a.signature();
        byte[] sb = b.signature();
        if (sa.length == COSIGNATURE_LENGTH && sb.length == COSIGNATURE_LENGTH) {
            int order = Long.compareUnsigned(ByteBuffer.wrap(sa).getLong(), ByteBuffer.wrap(sb).getLong());
            if (order != 0) {
                return order < 0 ? a : b;
            }
        }
        throw new ProofException(ProofErrorCode.NOTE_SIGNATURE_CONFLICT,
                "key " + b.name() + "+" + NoteKeys.keyIdHex(b.keyId()) + " signed the note twice differently");
    }

    /**
     * Parses a signed note and verifies every signature from a trusted key (C2SP signed-note
     * "Signatures"): lines from unknown keys are ignored, a trusted key's bad signature rejects the
     * whole note, and at least one trusted signature is required.
     *
     * @throws ProofException {@code note.malformed}, {@code signature.invalid} or {@code note.unverified}
     */
    public static VerifiedNote open(byte[] msg, VerifierSet known) {
        Note note = Note.parse(msg);
        byte[] text = note.textBytes();
        List<NoteVerifier> verified = new ArrayList<>();
        List<NoteSignature> unverified = new ArrayList<>();
        for (NoteSignature s : note.signatures()) {
            NoteVerifier v = known.find(s.name(), s.keyId()).orElse(null);
            if (v == null) {
                if (!unverified.contains(s)) {
                    unverified.add(s);
                }
                continue;
            }
            // Every line from a trusted key is checked, duplicates included, so a forged copy
            // cannot ride along next to a genuine one.
            if (!v.verify(text, s.signature())) {
                throw new ProofException(ProofErrorCode.SIGNATURE_INVALID,
                        "invalid signature for key " + s.name() + "+" + NoteKeys.keyIdHex(s.keyId()));
            }
            if (!verified.contains(v)) {
                verified.add(v);
            }
        }
        if (verified.isEmpty()) {
            throw new ProofException(ProofErrorCode.NOTE_UNVERIFIED, "note has no signature from a trusted key");
        }
        return new VerifiedNote(note, verified, unverified);
    }

    private static List<NoteSignature> concat(List<NoteSignature> a, List<NoteSignature> b) {
        List<NoteSignature> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
