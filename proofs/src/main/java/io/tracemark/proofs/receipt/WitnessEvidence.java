package io.tracemark.proofs.receipt;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A receipt's witness evidence (C2SP tlog-witness, tlog-cosignature): a checkpoint of the same log at least as
 * large as the receipt's own, carrying witnesses' {@code cosignature/v1} lines, and the RFC 9162 §2.1.4
 * consistency proof from the receipt's checkpoint to it. Witnesses cosign after a checkpoint is served and need
 * not cosign every size, so the receipt keeps the checkpoint that first included the record and adds this one;
 * a receipt without it says why in {@link #reason}.
 *
 * @param status           {@link #WITNESSED} or {@link #UNWITNESSED}
 * @param checkpoint       the witnessed signed note (log signature and cosignature lines), when witnessed
 * @param consistencyProof base64 hashes proving the receipt's checkpoint is a prefix of {@code checkpoint}; empty
 *                         when both have the same size
 * @param reason           why there is no witnessed checkpoint, when unwitnessed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WitnessEvidence(String status, String checkpoint, List<String> consistencyProof, String reason) {
    /** The receipt carries a witnessed checkpoint. */
    public static final String WITNESSED = "witnessed";
    /** The receipt carries no witnessed checkpoint. */
    public static final String UNWITNESSED = "unwitnessed";

    /** Copies the proof. */
    public WitnessEvidence {
        consistencyProof = consistencyProof == null ? null : List.copyOf(consistencyProof);
    }

    /** Evidence: {@code signedNote} and the base64 proof hashes from the receipt's checkpoint to it. */
    public static WitnessEvidence witnessed(String signedNote, List<String> consistencyProof) {
        return new WitnessEvidence(WITNESSED, signedNote, consistencyProof, null);
    }

    /** No evidence, and why (e.g. the log has no witnesses, or none cosigned yet). */
    public static WitnessEvidence unwitnessed(String reason) {
        return new WitnessEvidence(UNWITNESSED, null, null, reason);
    }

    /** Whether this carries a witnessed checkpoint. */
    @JsonIgnore
    public boolean isWitnessed() {
        return WITNESSED.equals(status) && checkpoint != null;
    }
}
