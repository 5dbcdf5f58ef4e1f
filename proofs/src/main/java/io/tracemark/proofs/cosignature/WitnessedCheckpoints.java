package io.tracemark.proofs.cosignature;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.checkpoint.VerifiedCheckpoint;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteSignature;
import io.tracemark.proofs.note.NoteVerifier;
import io.tracemark.proofs.note.VerifierSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Verifies a signed checkpoint against a log key policy and a witness policy
 * (C2SP tlog-proof "Verification" steps 2 and 3, cosignatures per C2SP tlog-cosignature).
 */
public final class WitnessedCheckpoints {
    private WitnessedCheckpoints() {
    }

    /**
     * Checks that at least {@code logThreshold} of {@code logKeys} signed the checkpoint of
     * {@code origin} and at least {@code policy.threshold()} of its witnesses cosigned it.
     *
     * <p>Log and witness keys form one trusted set, so a bad signature from any trusted key rejects
     * the note (C2SP signed-note), and lines from unknown keys are ignored. A witness counts once
     * however many lines it has; all of its lines must verify.
     *
     * @param now the verifier's clock, to reject cosignatures from the future
     * @throws ProofException {@code note.malformed}, {@code note.key.ambiguous},
     *     {@code signature.invalid}, {@code note.unverified}, {@code signature.threshold},
     *     {@code checkpoint.malformed}, {@code checkpoint.origin.mismatch},
     *     {@code witness.threshold} or {@code cosignature.timestamp.future}
     */
    public static WitnessedCheckpoint verify(byte[] signedNote, String origin, VerifierSet logKeys, int logThreshold,
            WitnessPolicy policy, Instant now) {
        List<NoteVerifier> all = new ArrayList<>(logKeys.verifiers());
        all.addAll(policy.witnesses());
        VerifierSet trusted = VerifierSet.of(all);
        // Opening with every trusted key first rejects any bad witness line before counting.
        SignedCheckpoints.verify(signedNote, origin, trusted, 1);
        VerifiedCheckpoint logSigned = SignedCheckpoints.verify(signedNote, origin, logKeys, logThreshold);
        Note note = logSigned.note().note();
        byte[] text = note.textBytes();
        long latest = now.plus(policy.maxFutureSkew()).getEpochSecond();
        List<WitnessCosignature> cosigned = new ArrayList<>();
        for (NoteSignature line : note.signatures()) {
            NoteVerifier v = trusted.find(line.name(), line.keyId()).orElse(null);
            if (!(v instanceof Ed25519CosignatureVerifier w) || !policy.witnesses().contains(w)
                    || cosigned.stream().anyMatch(c -> c.witness().equals(w))) {
                continue;
            }
            OptionalLong ts = w.verifiedTimestamp(text, line.signature());
            if (ts.isEmpty()) {
                throw new ProofException(ProofErrorCode.SIGNATURE_INVALID, "invalid cosignature from " + w.name());
            }
            if (ts.getAsLong() > latest) {
                throw new ProofException(ProofErrorCode.COSIGNATURE_TIMESTAMP_FUTURE, "cosignature from " + w.name()
                        + " is timestamped " + ts.getAsLong() + ", after " + latest);
            }
            cosigned.add(new WitnessCosignature(w, ts.getAsLong()));
        }
        if (cosigned.size() < policy.threshold()) {
            throw new ProofException(ProofErrorCode.WITNESS_THRESHOLD, "checkpoint cosigned by " + cosigned.size()
                    + " trusted witnesses, need " + policy.threshold());
        }
        return new WitnessedCheckpoint(logSigned, cosigned);
    }
}
