package io.tracemark.proofs.receipt;

import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteKeys;
import io.tracemark.proofs.note.NoteSignature;
import io.tracemark.proofs.note.NoteVerifier;
import io.tracemark.proofs.note.VerifierSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who signed a checkpoint, key by key (C2SP signed-note "Signatures"), for people reading a verdict:
 * every trusted key is {@code valid}, {@code invalid} or {@code absent}, and every signature line by
 * a key outside the trust set is listed as {@code untrusted}. The verdict itself comes from
 * {@link io.tracemark.proofs.checkpoint.SignedCheckpoints}; this only explains it.
 */
final class SignerReport {
    static final String VALID = "valid";

    private SignerReport() {
    }

    /** One entry per trusted key, then one per untrusted signer; empty if the note does not parse. */
    static List<Map<String, Object>> of(byte[] signedNote, VerifierSet trusted) {
        Note note;
        try {
            note = Note.parse(signedNote);
        } catch (ProofException e) {
            return List.of();
        }
        byte[] text = note.textBytes();
        List<Map<String, Object>> out = new ArrayList<>();
        for (NoteVerifier v : trusted.verifiers()) {
            List<NoteSignature> mine = note.signatures().stream()
                    .filter(s -> s.name().equals(v.name()) && s.keyId() == v.keyId()).toList();
            String status = mine.isEmpty() ? "absent"
                    : mine.stream().allMatch(s -> v.verify(text, s.signature())) ? VALID : "invalid";
            out.add(entry(v.name(), v.keyId(), status));
        }
        for (NoteSignature s : note.signatures()) {
            if (trusted.find(s.name(), s.keyId()).isEmpty()) {
                out.add(entry(s.name(), s.keyId(), "untrusted"));
            }
        }
        return out;
    }

    private static Map<String, Object> entry(String name, int keyId, String status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("keyId", NoteKeys.keyIdHex(keyId));
        m.put("status", status);
        return m;
    }
}
