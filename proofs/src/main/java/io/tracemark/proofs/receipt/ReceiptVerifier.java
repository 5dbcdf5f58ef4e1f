package io.tracemark.proofs.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.StrictBase64;
import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.canonical.CanonicalJson;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.checkpoint.VerifiedCheckpoint;
import io.tracemark.proofs.ledger.BlockHeader;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.merkle.Rfc9162Verifier;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteVerifier;
import io.tracemark.proofs.tlogproof.TlogProof;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies a {@link Receipt} offline against a {@link VerificationPolicy} and reports every check with
 * a stable code ({@link CheckCode}) and the expected and computed values, so a user sees exactly which
 * byte does not add up. Nothing here touches the network.
 */
public final class ReceiptVerifier {
    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReceiptVerifier() {
    }

    /** Runs every check; the receipt is valid iff none of them {@linkplain ReceiptCheck#failed() failed}. */
    public static List<ReceiptCheck> verify(Receipt receipt, VerificationPolicy policy) {
        return verify(receipt, policy, CheckMemo.NONE);
    }

    /**
     * {@link #verify(Receipt, VerificationPolicy)}, taking the checkpoint signature and time-stamp outcomes
     * from {@code memo} when it has them for the same note and token (it must belong to {@code policy}).
     */
    public static List<ReceiptCheck> verify(Receipt receipt, VerificationPolicy policy, CheckMemo memo) {
        List<ReceiptCheck> out = new ArrayList<>();
        out.add(Receipt.FORMAT.equals(receipt.format())
                ? ReceiptCheck.pass(CheckCode.RECEIPT_FORMAT, Receipt.FORMAT, receipt.format(), null)
                : ReceiptCheck.fail(CheckCode.RECEIPT_FORMAT, Receipt.FORMAT, receipt.format(), "unknown receipt format"));
        byte[] digest = parseDigest(receipt.record().digest());
        out.add(digestCheck(receipt.record(), digest));
        out.add(fieldsCheck(receipt.record()));
        TlogProof proof;
        try {
            proof = TlogProof.parse(receipt.tlogProof().getBytes(StandardCharsets.UTF_8));
        } catch (ProofException e) {
            String why = e.getMessage();
            out.add(ReceiptCheck.fail(CheckCode.LEAF_INDEX, null, null, why));
            out.add(ReceiptCheck.fail(CheckCode.CHECKPOINT_SIGNATURE, null, null, why));
            out.add(ReceiptCheck.fail(CheckCode.INCLUSION_PROOF, null, null, why));
            out.add(ReceiptCheck.fail(CheckCode.BLOCK_HEADER, null, null, why));
            out.add(ReceiptCheck.fail(CheckCode.TIMESTAMP_TOKEN, null, null, why));
            out.add(ReceiptCheck.fail(CheckCode.CHECKPOINT_WITNESSED, null, null, why));
            out.add(ReceiptCheck.fail(CheckCode.AUTHORITY_TIMESTAMPS, null, null, why));
            return out;
        }
        out.add(receipt.leafIndex() == proof.index()
                ? ReceiptCheck.pass(CheckCode.LEAF_INDEX, Long.toString(receipt.leafIndex()), Long.toString(proof.index()), null)
                : ReceiptCheck.fail(CheckCode.LEAF_INDEX, Long.toString(receipt.leafIndex()), Long.toString(proof.index()),
                        "receipt leaf index differs from the index the tlog-proof proves"));
        Checkpoint checkpoint = unauthenticatedCheckpoint(proof);
        String note = new String(proof.signedCheckpoint(), StandardCharsets.UTF_8);
        out.add(memo.remember("signature\n" + note, () -> signatureCheck(proof, checkpoint, policy)));
        out.add(inclusionCheck(proof, checkpoint, digest));
        out.add(blockCheck(receipt, checkpoint));
        Receipt.Timestamp ts = receipt.timestamp();
        out.add(ts == null || ts.token() == null ? timestampCheck(receipt, proof, policy)
                : memo.remember("timestamp\n" + ts.token() + "\n" + note, () -> timestampCheck(receipt, proof, policy)));
        WitnessEvidence w = receipt.witnessing();
        out.add(w == null || !w.isWitnessed() ? WitnessCheck.of(receipt, checkpoint, policy, Instant.now())
                : memo.remember("witnessed\n" + note + "\n" + w.checkpoint() + "\n" + w.consistencyProof(),
                        () -> WitnessCheck.of(receipt, checkpoint, policy, Instant.now())));
        out.add(authoritiesCheck(receipt.authorities(), proof, note, memo, policy));
        return out;
    }

    /** The first failed check, if any. */
    public static Optional<ReceiptCheck> firstFailure(List<ReceiptCheck> checks) {
        return checks.stream().filter(ReceiptCheck::failed).findFirst();
    }

    private static ReceiptCheck digestCheck(Receipt.RecordInfo r, byte[] digest) {
        if (digest == null) {
            return ReceiptCheck.fail(CheckCode.RECORD_DIGEST, r.digest(), null, "digest is not 64 lowercase hex digits");
        }
        if (r.canonical() == null) {
            return ReceiptCheck.skipped(CheckCode.RECORD_DIGEST, "the record content is not in the receipt (erased, or private to its registrant); only the digest is proven");
        }
        byte[] bytes = r.canonical().getBytes(StandardCharsets.UTF_8);
        byte[] computed = TimestampTokens.sha256(bytes);
        if (!MessageDigest.isEqual(digest, computed)) {
            return ReceiptCheck.fail(CheckCode.RECORD_DIGEST, r.digest(), HEX.formatHex(computed),
                    "SHA-256 of the canonical bytes differs from the record digest");
        }
        // Only one byte string of a record is canonical (RFC 8785 §3.2), so a holder can re-derive it.
        String notCanonical;
        try {
            notCanonical = Arrays.equals(CanonicalJson.canonicalize(r.canonical()), bytes) ? null
                    : "the record bytes are not in RFC 8785 canonical form";
        } catch (ProofException e) {
            notCanonical = "the record bytes are not canonical JSON: " + e.getMessage();
        }
        return notCanonical == null ? ReceiptCheck.pass(CheckCode.RECORD_DIGEST, r.digest(), HEX.formatHex(computed), null)
                : ReceiptCheck.fail(CheckCode.RECORD_DIGEST, r.digest(), HEX.formatHex(computed), notCanonical);
    }

    private static ReceiptCheck fieldsCheck(Receipt.RecordInfo r) {
        if (r.canonical() == null) {
            return ReceiptCheck.skipped(CheckCode.RECORD_FIELDS, "the record content is not in the receipt (erased, or private to its registrant)");
        }
        JsonNode env;
        try {
            env = JSON.readTree(r.canonical());
        } catch (Exception e) {
            return ReceiptCheck.fail(CheckCode.RECORD_FIELDS, null, null, "canonical bytes are not JSON");
        }
        String expected = String.join("|", r.id(), String.valueOf(r.tenant()), String.valueOf(r.type()),
                String.valueOf(r.salt()));
        String computed = String.join("|", env.path("id").asText(), env.path("tenant").asText(),
                env.path("type").asText(), env.path("salt").asText());
        return expected.equals(computed)
                ? ReceiptCheck.pass(CheckCode.RECORD_FIELDS, expected, computed, "id|tenant|type|salt")
                : ReceiptCheck.fail(CheckCode.RECORD_FIELDS, expected, computed,
                        "the canonical envelope names a different id, tenant, type or salt (id|tenant|type|salt)");
    }

    private static ReceiptCheck signatureCheck(TlogProof proof, Checkpoint cp, VerificationPolicy policy) {
        String origin = policy.origin() != null ? policy.origin() : cp.origin();
        String expected = Integer.toString(policy.threshold());
        List<Map<String, Object>> keys = SignerReport.of(proof.signedCheckpoint(), policy.trustedKeys());
        long valid = keys.stream().filter(k -> SignerReport.VALID.equals(k.get("status"))).count();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("threshold", policy.threshold());
        facts.put("validSignatures", valid);
        facts.put("trustedKeys", policy.trustedKeys().size());
        facts.put("keys", keys);
        facts.put("origin", origin);
        try {
            VerifiedCheckpoint vc = SignedCheckpoints.verify(proof.signedCheckpoint(), origin, policy.trustedKeys(),
                    policy.threshold());
            List<String> by = vc.verifiedBy().stream().map(NoteVerifier::name).toList();
            return ReceiptCheck.pass(CheckCode.CHECKPOINT_SIGNATURE, expected, Integer.toString(by.size()),
                    by.size() + " of " + policy.trustedKeys().size() + " trusted keys signed (" + String.join(", ", by)
                            + "), " + policy.threshold() + " required; origin " + origin).with(facts);
        } catch (ProofException e) {
            return ReceiptCheck.fail(CheckCode.CHECKPOINT_SIGNATURE, expected, Long.toString(valid), e.getMessage())
                    .with(facts);
        }
    }

    private static ReceiptCheck inclusionCheck(TlogProof proof, Checkpoint cp, byte[] digest) {
        String expected = HEX.formatHex(cp.rootHash());
        if (digest == null) {
            return ReceiptCheck.fail(CheckCode.INCLUSION_PROOF, expected, null, "no valid record digest to prove");
        }
        try {
            byte[] root = Rfc9162Verifier.rootFromInclusionProof(proof.index(), cp.size(), Rfc9162Hasher.leafHash(digest),
                    proof.proofHashes());
            return MessageDigest.isEqual(root, cp.rootHash())
                    ? ReceiptCheck.pass(CheckCode.INCLUSION_PROOF, expected, HEX.formatHex(root),
                            "leaf " + proof.index() + " of " + cp.size())
                    : ReceiptCheck.fail(CheckCode.INCLUSION_PROOF, expected, HEX.formatHex(root),
                            ProofErrorCode.INCLUSION_ROOT_MISMATCH.code()
                                    + ": the proof from the record's leaf hash does not reach the checkpoint root");
        } catch (ProofException e) {
            return ReceiptCheck.fail(CheckCode.INCLUSION_PROOF, expected, null, e.getMessage());
        }
    }

    private static ReceiptCheck blockCheck(Receipt receipt, Checkpoint cp) {
        Receipt.Block b = receipt.block();
        BlockHeader header;
        try {
            header = new BlockHeader(b.height(), HEX.parseHex(b.previousHash()), b.firstLeafIndex(), b.leafCount(),
                    b.treeSize(), HEX.parseHex(b.root()), b.timeMillis());
        } catch (IllegalArgumentException e) {
            return ReceiptCheck.fail(CheckCode.BLOCK_HEADER, b.hash(), null, "malformed block header: " + e.getMessage());
        }
        String computed = HEX.formatHex(header.hash());
        if (!computed.equals(b.hash())) {
            return ReceiptCheck.fail(CheckCode.BLOCK_HEADER, b.hash(), computed, "block header does not hash to its stated hash");
        }
        if (!MessageDigest.isEqual(header.root(), cp.rootHash()) || header.treeSize() != cp.size()) {
            return ReceiptCheck.fail(CheckCode.BLOCK_HEADER, b.root() + "@" + b.treeSize(),
                    HEX.formatHex(cp.rootHash()) + "@" + cp.size(), "block root and size differ from the checkpoint's");
        }
        if (receipt.leafIndex() < header.firstLeafIndex() || receipt.leafIndex() >= header.treeSize()) {
            return ReceiptCheck.fail(CheckCode.BLOCK_HEADER, "[" + header.firstLeafIndex() + "," + header.treeSize() + ")",
                    Long.toString(receipt.leafIndex()), "the block does not contain the record's leaf");
        }
        return ReceiptCheck.pass(CheckCode.BLOCK_HEADER, b.hash(), computed, "height " + b.height());
    }

    private static ReceiptCheck timestampCheck(Receipt receipt, TlogProof proof, VerificationPolicy policy) {
        Receipt.Timestamp ts = receipt.timestamp();
        if (ts == null || ts.token() == null) {
            return policy.requireTimestamp()
                    ? ReceiptCheck.fail(CheckCode.TIMESTAMP_TOKEN, "an RFC 3161 token", null, "timestamp.missing: receipt carries no token")
                    : ReceiptCheck.skipped(CheckCode.TIMESTAMP_TOKEN, "receipt carries no RFC 3161 token");
        }
        try {
            byte[] token = StrictBase64.decode(ts.token(), ProofErrorCode.TLOG_PROOF_MALFORMED, "timestamp token");
            byte[] stamped = Note.parse(proof.signedCheckpoint()).textBytes();
            String imprint = HEX.formatHex(TimestampTokens.sha256(stamped));
            long size = Checkpoint.parse(Note.parse(proof.signedCheckpoint()).text()).size();
            // The receipt's own certificate is only a hint: trusting it would let anyone stamp any time.
            TimestampTokens.Verified v = TimestampTokens.verify(token, stamped, policy.trustedTsa());
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("genTime", v.genTime().toString());
            facts.put("tsa", v.signer().getSubject().toString());
            facts.put("serialNumber", v.serialNumber());
            facts.put("checkpointTreeSize", size);
            facts.put("imprint", imprint);
            return ReceiptCheck.pass(CheckCode.TIMESTAMP_TOKEN, imprint, imprint, "the checkpoint of tree size " + size
                    + " was time-stamped at " + v.genTime() + " by trusted TSA '" + v.signer().getSubject() + "'")
                    .with(facts);
        } catch (ProofException | IllegalArgumentException e) {
            return ReceiptCheck.fail(CheckCode.TIMESTAMP_TOKEN, null, null, e.getMessage());
        }
    }

    private static ReceiptCheck authoritiesCheck(TimeAuthorities authorities, TlogProof proof, String note, CheckMemo memo,
                                                 VerificationPolicy policy) {
        byte[] stamped = Note.parse(proof.signedCheckpoint()).textBytes();
        if (authorities == null || authorities.tokens().isEmpty()) {
            return AuthorityTimestampCheck.check(authorities, stamped, policy);
        }
        StringBuilder key = new StringBuilder("authorities\n").append(note);
        authorities.tokens().forEach(t -> key.append('\n').append(t.name()).append(' ').append(t.token()));
        authorities.missing().forEach(m -> key.append("\nmissing ").append(m));
        return memo.remember(key.toString(), () -> AuthorityTimestampCheck.check(authorities, stamped, policy));
    }

    private static Checkpoint unauthenticatedCheckpoint(TlogProof proof) {
        // TlogProof's constructor already checked the embedded note parses as a checkpoint.
        return Checkpoint.parse(Note.parse(proof.signedCheckpoint()).text());
    }

    private static byte[] parseDigest(String hex) {
        return hex != null && hex.matches("[0-9a-f]{64}") ? HEX.parseHex(hex) : null;
    }
}
