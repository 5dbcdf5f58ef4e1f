package io.tracemark.proofs.receipt;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.StrictBase64;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.cosignature.Ed25519CosignatureVerifier;
import io.tracemark.proofs.cosignature.WitnessCosignature;
import io.tracemark.proofs.cosignature.WitnessPolicy;
import io.tracemark.proofs.cosignature.WitnessedCheckpoint;
import io.tracemark.proofs.cosignature.WitnessedCheckpoints;
import io.tracemark.proofs.merkle.Rfc9162Verifier;
import io.tracemark.proofs.note.VerifierSet;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link CheckCode#CHECKPOINT_WITNESSED}: the receipt's witnessed checkpoint is signed by the log, cosigned by
 * k of the n trusted witnesses (C2SP tlog-cosignature {@code cosignature/v1}), and extends the receipt's own
 * checkpoint (RFC 9162 §2.1.4.2), so a split view would need those witnesses to have cosigned it. The check
 * names the witnesses that cosigned and those missing.
 */
final class WitnessCheck {
    private WitnessCheck() {
    }

    static ReceiptCheck of(Receipt receipt, Checkpoint own, VerificationPolicy policy, Instant now) {
        String code = CheckCode.CHECKPOINT_WITNESSED;
        WitnessPolicy witnesses = policy.witnesses();
        WitnessEvidence evidence = receipt.witnessing();
        boolean carried = evidence != null && evidence.isWitnessed();
        if (witnesses.witnesses().isEmpty()) {
            return ReceiptCheck.skipped(code, carried
                    ? "no witnesses are trusted, so the receipt's witnessed checkpoint was not checked"
                    : "no witnesses are trusted, and the receipt carries no witnessed checkpoint");
        }
        String expected = witnesses.threshold() + " of " + witnesses.witnesses().size();
        List<String> names = witnesses.witnesses().stream().map(Ed25519CosignatureVerifier::name).toList();
        if (!carried) {
            String why = evidence == null ? "the receipt predates witnessing"
                    : evidence.reason() == null ? "no reason given" : evidence.reason();
            Map<String, Object> facts = facts(witnesses, List.of(), names, null);
            if (!policy.requireWitnessed() || witnesses.threshold() == 0) {
                return ReceiptCheck.skipped(code, "the receipt carries no witnessed checkpoint: " + why).with(facts);
            }
            return ReceiptCheck.fail(code, expected, "0", ProofErrorCode.WITNESS_EVIDENCE_MISSING.code()
                    + ": the receipt carries no witnessed checkpoint (" + why + "); missing: " + String.join(", ", names))
                    .with(facts);
        }
        byte[] note = evidence.checkpoint().getBytes(StandardCharsets.UTF_8);
        List<Map<String, Object>> report = SignerReport.of(note, VerifierSet.of(witnesses.witnesses())).stream()
                .filter(k -> !"untrusted".equals(k.get("status"))).toList();
        List<String> valid = report.stream().filter(k -> SignerReport.VALID.equals(k.get("status")))
                .map(k -> (String) k.get("name")).toList();
        List<String> missing = names.stream().filter(n -> !valid.contains(n)).toList();
        String origin = policy.origin() != null ? policy.origin() : own.origin();
        WitnessedCheckpoint w;
        try {
            // One log signature suffices here: the consistency proof binds this checkpoint to the receipt's, whose
            // signatures met the full threshold; what matters is that the witnesses cosigned it.
            w = WitnessedCheckpoints.verify(note, origin, policy.trustedKeys(), 1, witnesses, now);
        } catch (ProofException e) {
            Map<String, Object> facts = facts(witnesses, valid, missing, report);
            String detail = ProofErrorCode.WITNESS_THRESHOLD.equals(e.errorCode())
                    ? e.code() + ": cosigned by " + valid.size() + " of " + names.size() + " trusted witnesses"
                            + (valid.isEmpty() ? "" : " (" + String.join(", ", valid) + ")") + ", "
                            + witnesses.threshold() + " required; missing: " + String.join(", ", missing)
                    : e.getMessage();
            return ReceiptCheck.fail(code, expected, Integer.toString(valid.size()), detail).with(facts);
        }
        List<String> cosignedBy = w.cosignatures().stream().map(c -> c.witness().name()).toList();
        Map<String, Object> facts = facts(witnesses, cosignedBy, names.stream().filter(n -> !cosignedBy.contains(n))
                .toList(), report);
        Checkpoint witnessed = w.checkpoint().checkpoint();
        facts.put("treeSize", witnessed.size());
        facts.put("cosignedAt", w.cosignatures().stream().map(WitnessCheck::timestamp).toList());
        try {
            if (witnessed.size() < own.size()) {
                throw new ProofException(ProofErrorCode.CONSISTENCY_SIZE_INVALID, "the witnessed checkpoint (size "
                        + witnessed.size() + ") is smaller than the receipt's (size " + own.size() + ")");
            }
            List<String> hashes = evidence.consistencyProof() == null ? List.of() : evidence.consistencyProof();
            byte[][] proof = new byte[hashes.size()][];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = StrictBase64.decode(hashes.get(i), ProofErrorCode.HASH_MALFORMED, "consistency proof hash");
            }
            Rfc9162Verifier.verifyConsistency(own.size(), witnessed.size(), own.rootHash(), witnessed.rootHash(), proof);
        } catch (ProofException e) {
            return ReceiptCheck.fail(code, expected, Integer.toString(cosignedBy.size()),
                    e.getMessage() + " (the witnessed checkpoint does not extend the receipt's)").with(facts);
        }
        return ReceiptCheck.pass(code, expected, Integer.toString(cosignedBy.size()), "cosigned by "
                + String.join(", ", cosignedBy) + " (" + cosignedBy.size() + " of " + names.size()
                + " trusted witnesses, " + witnesses.threshold() + " required) at tree size " + witnessed.size()
                + ", which extends the receipt's checkpoint of size " + own.size()).with(facts);
    }

    private static Map<String, Object> timestamp(WitnessCosignature c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.witness().name());
        m.put("time", Instant.ofEpochSecond(c.timestamp()).toString());
        return m;
    }

    private static Map<String, Object> facts(WitnessPolicy policy, List<String> cosignedBy, List<String> missing,
            List<Map<String, Object>> report) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("threshold", policy.threshold());
        facts.put("trustedWitnesses", policy.witnesses().size());
        facts.put("cosignedBy", new ArrayList<>(cosignedBy));
        facts.put("missing", new ArrayList<>(missing));
        if (report != null) {
            facts.put("witnesses", report);
        }
        return facts;
    }
}
