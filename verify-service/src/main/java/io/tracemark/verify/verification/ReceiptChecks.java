package io.tracemark.verify.verification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.canonical.CanonicalJson;
import io.tracemark.proofs.canonical.RecordDigest;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.merkle.Rfc9162Verifier;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteKeys;
import io.tracemark.proofs.note.NoteSignature;
import io.tracemark.proofs.note.NoteVerifier;
import io.tracemark.verify.chain.TrustPolicy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The checks a receipt carries everything for: digest, record binding, checkpoint signatures, inclusion. */
public final class ReceiptChecks {
    static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReceiptChecks() {
    }

    /** {@code record.digest.match}: SHA-256 of the canonical bytes (and of any record the caller holds) is the digest. */
    public static Check digest(ReceiptInput r, String callerCanonical) {
        String code = "record.digest.match";
        byte[] bytes = r.canonical().getBytes(StandardCharsets.UTF_8);
        String computed = HEX.formatHex(RecordDigest.sha256(bytes));
        if (!computed.equals(r.digest())) {
            return Check.mismatch(code, "SHA-256 of the receipt's canonical record differs from its digest",
                    r.digest(), computed);
        }
        try {
            if (!Arrays.equals(CanonicalJson.canonicalize(bytes), bytes)) {
                return Check.fail(code, "the receipt's record is not in RFC 8785 canonical form");
            }
        } catch (ProofException e) {
            return Check.fail(code, "the receipt's record is not canonical JSON: " + e.code());
        }
        if (callerCanonical != null) {
            String own = HEX.formatHex(RecordDigest.sha256(callerCanonical.getBytes(StandardCharsets.UTF_8)));
            if (!own.equals(r.digest())) {
                return Check.mismatch(code, "the record you supplied hashes to a different digest than the receipt's",
                        r.digest(), own);
            }
            return Check.pass(code, "the record you supplied and the receipt's canonical record both hash to the digest");
        }
        return Check.pass(code, "SHA-256 of the canonical record equals the digest");
    }

    /** {@code receipt.fields.match}: the receipt's id, type and salt are the canonical record's, and its origin the log's. */
    public static Check fields(ReceiptInput r, String expectedOrigin) {
        String code = "receipt.fields.match";
        JsonNode c;
        try {
            c = JSON.readTree(r.canonical());
        } catch (IOException e) {
            return Check.fail(code, "the canonical record is not JSON");
        }
        String[][] pairs = {{"recordId", "id", r.recordId()}, {"type", "type", r.type()}, {"salt", "salt", r.salt()}};
        for (String[] p : pairs) {
            String inRecord = c.path(p[1]).asText(null);
            if (!p[2].equals(inRecord)) {
                return Check.mismatch(code, "receipt field " + p[0] + " differs from the canonical record's " + p[1],
                        inRecord, p[2]);
            }
        }
        if (r.origin() != null && !r.origin().equals(expectedOrigin)) {
            return Check.mismatch(code, "receipt names a different log origin", expectedOrigin, r.origin());
        }
        return Check.pass(code, "receipt id, type and salt are those of the canonical record");
    }

    /**
     * {@code checkpoint.signature.valid}: at least {@code threshold} trusted keys signed the checkpoint, no
     * trusted key's signature is bad, the origin is the log's, and every key the receipt lists is trusted.
     */
    public static Check signatures(ReceiptInput r, TrustPolicy.Snapshot trust) {
        String code = "checkpoint.signature.valid";
        Note note;
        try {
            note = Note.parse(r.checkpoint().getBytes(StandardCharsets.UTF_8));
        } catch (ProofException e) {
            return Check.fail(code, "checkpoint is not a signed note: " + e.getMessage());
        }
        byte[] text = note.textBytes();
        List<Map<String, Object>> keys = new ArrayList<>();
        int valid = 0;
        boolean bad = false;
        for (NoteVerifier v : trust.trusted().verifiers()) {
            String status = "absent";
            for (NoteSignature s : note.signatures()) {
                if (s.name().equals(v.name()) && s.keyId() == v.keyId()) {
                    boolean ok = v.verify(text, s.signature());
                    status = ok && !"invalid".equals(status) ? "valid" : "invalid";
                }
            }
            valid += "valid".equals(status) ? 1 : 0;
            bad |= "invalid".equals(status);
            keys.add(key(v.name(), v.keyId(), status, v.verifierKey()));
        }
        for (NoteSignature s : note.signatures()) {
            if (trust.trusted().find(s.name(), s.keyId()).isEmpty()) {
                keys.add(key(s.name(), s.keyId(), "untrusted", null));
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("threshold", trust.threshold());
        data.put("validSignatures", valid);
        data.put("keys", keys);
        Check result;
        List<String> trustedKeys = trust.trusted().verifiers().stream().map(NoteVerifier::verifierKey).toList();
        List<String> untrustedListed = r.verifierKeys().stream().filter(k -> !trustedKeys.contains(k)).toList();
        if (bad) {
            result = Check.fail(code, "a trusted key's signature does not verify over the checkpoint");
        } else if (valid < trust.threshold()) {
            result = Check.mismatch(code, "checkpoint signed by " + valid + " trusted keys, " + trust.threshold()
                    + " required", String.valueOf(trust.threshold()), String.valueOf(valid));
        } else if (!untrustedListed.isEmpty()) {
            result = Check.mismatch(code, "receipt lists a verifier key this service does not trust",
                    String.join(" ", trustedKeys), untrustedListed.get(0));
        } else {
            String origin = new String(text, StandardCharsets.UTF_8).split("\n", 2)[0];
            result = origin.equals(trust.origin()) ? Check.pass(code, valid + " of " + trust.trusted().size()
                    + " trusted keys signed (threshold " + trust.threshold() + ")")
                    : Check.mismatch(code, "checkpoint is for another log", trust.origin(), origin);
        }
        return result.with(data);
    }

    /** {@code inclusion.proof.valid}: the RFC 9162 §2.1.3.2 proof leads from the digest's leaf hash to the checkpoint root. */
    public static Check inclusion(ReceiptInput r) {
        String code = "inclusion.proof.valid";
        Checkpoint cp;
        try {
            cp = Checkpoint.parse(Note.parse(r.checkpoint().getBytes(StandardCharsets.UTF_8)).text());
        } catch (ProofException e) {
            return Check.fail(code, "checkpoint body is unreadable: " + e.code());
        }
        if (cp.size() != r.treeSize()) {
            return Check.mismatch(code, "receipt tree size differs from the checkpoint's", String.valueOf(cp.size()),
                    String.valueOf(r.treeSize()));
        }
        byte[] leafHash = Rfc9162Hasher.leafHash(HEX.parseHex(r.digest()));
        try {
            byte[] root = Rfc9162Verifier.rootFromInclusionProof(r.leafIndex(), cp.size(), leafHash,
                    r.inclusionProof().toArray(byte[][]::new));
            if (!Arrays.equals(root, cp.rootHash())) {
                return Check.mismatch(code, "inclusion proof leads to a different root than the checkpoint's",
                        HEX.formatHex(cp.rootHash()), HEX.formatHex(root));
            }
        } catch (ProofException e) {
            return Check.fail(code, e.getMessage());
        }
        return Check.pass(code, "leaf " + r.leafIndex() + " is in the tree of size " + cp.size())
                .with(Map.of("leafHash", HEX.formatHex(leafHash), "root", HEX.formatHex(cp.rootHash())));
    }

    private static Map<String, Object> key(String name, int keyId, String status, String verifierKey) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("keyId", NoteKeys.keyIdHex(keyId));
        m.put("status", status);
        if (verifierKey != null) {
            m.put("verifierKey", verifierKey);
        }
        return m;
    }
}
