package io.tracemark.proofs.cosignature;

import io.tracemark.proofs.checkpoint.VerifiedCheckpoint;
import java.util.List;

/**
 * A checkpoint whose log signatures and witness cosignatures both met their policies.
 *
 * @param checkpoint the checkpoint and the log keys that signed it
 * @param cosignatures the distinct trusted witnesses that cosigned it, in line order
 */
public record WitnessedCheckpoint(VerifiedCheckpoint checkpoint, List<WitnessCosignature> cosignatures) {
    /** Copies the list. */
    public WitnessedCheckpoint {
        cosignatures = List.copyOf(cosignatures);
    }
}
