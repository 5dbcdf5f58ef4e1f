package io.tracemark.chain.witness;

import io.tracemark.proofs.note.NoteKeys;
import io.tracemark.proofs.note.VerifierSet;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a {@link Witness} needs, independent of Quarkus so that the standalone process and tests
 * build one directly.
 *
 * @param dataDir where the cosigner key and the cosigned checkpoints are kept
 * @param keyName the witness's cosigner name, a schema-less URL
 * @param signingKey optional {@code PRIVATE+KEY+…} cosigner key (type 0x04); generated into the data dir if absent
 * @param logs the logs witnessed, each {@code <origin> <vkey> [<vkey>…]}
 */
public record WitnessSettings(Path dataDir, String keyName, Optional<String> signingKey, List<String> logs) {
    /** Copies the list. */
    public WitnessSettings {
        logs = List.copyOf(logs);
    }

    /**
     * The trusted log keys by origin.
     *
     * @throws IllegalArgumentException for an entry without an origin and at least one key, or an origin given twice
     * @throws io.tracemark.proofs.ProofException {@code note.key.malformed} for a bad vkey
     */
    public Map<String, VerifierSet> trustedLogs() {
        Map<String, VerifierSet> out = new LinkedHashMap<>();
        for (String entry : logs) {
            String[] parts = entry.trim().split("\\s+");
            if (parts.length < 2) {
                throw new IllegalArgumentException("witnessed log '" + entry + "' must be '<origin> <vkey> [<vkey>...]'");
            }
            VerifierSet keys = VerifierSet.of(Arrays.stream(parts, 1, parts.length).map(NoteKeys::parseVerifierKey).toList());
            if (out.putIfAbsent(parts[0], keys) != null) {
                throw new IllegalArgumentException("witnessed log " + parts[0] + " is listed twice");
            }
        }
        return out;
    }
}
