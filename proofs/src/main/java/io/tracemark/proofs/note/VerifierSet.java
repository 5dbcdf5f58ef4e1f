package io.tracemark.proofs.note;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trusted note verifiers, looked up by (key name, key ID) (C2SP signed-note "Signatures").
 *
 * <p>Two different keys with the same name and ID would make signature lines ambiguous, so such a
 * set is refused when built; listing the very same key twice is harmless and collapsed.
 */
public final class VerifierSet {
    private final Map<KeyRef, NoteVerifier> byKey;

    private VerifierSet(Map<KeyRef, NoteVerifier> byKey) {
        this.byKey = byKey;
    }

    /**
     * Builds a set from verifiers.
     *
     * @throws ProofException {@code note.key.ambiguous} if two different keys share name and key ID
     */
    public static VerifierSet of(Collection<? extends NoteVerifier> verifiers) {
        Map<KeyRef, NoteVerifier> map = new LinkedHashMap<>();
        for (NoteVerifier v : verifiers) {
            NoteVerifier prev = map.putIfAbsent(new KeyRef(v.name(), v.keyId()), v);
            if (prev != null && !prev.equals(v)) {
                throw new ProofException(ProofErrorCode.NOTE_KEY_AMBIGUOUS, "two different keys named "
                        + v.name() + "+" + NoteKeys.keyIdHex(v.keyId()));
            }
        }
        return new VerifierSet(map);
    }

    /** Builds a set from verifiers; see {@link #of(Collection)}. */
    public static VerifierSet of(NoteVerifier... verifiers) {
        return of(Arrays.asList(verifiers));
    }

    /**
     * Builds a set from encoded verifier key strings.
     *
     * @throws ProofException {@code note.key.malformed} or {@code note.key.ambiguous}
     */
    public static VerifierSet parse(Collection<String> verifierKeys) {
        List<NoteVerifier> vs = new ArrayList<>();
        for (String k : verifierKeys) {
            vs.add(NoteKeys.parseVerifierKey(k));
        }
        return of(vs);
    }

    /** Returns the verifier for exactly this name and key ID, if trusted. */
    public Optional<NoteVerifier> find(String name, int keyId) {
        return Optional.ofNullable(byKey.get(new KeyRef(name, keyId)));
    }

    /** Returns the trusted verifiers in insertion order. */
    public List<NoteVerifier> verifiers() {
        return List.copyOf(byKey.values());
    }

    /** Returns the number of distinct trusted keys. */
    public int size() {
        return byKey.size();
    }

    private record KeyRef(String name, int keyId) {
    }
}
