package io.tracemark.chain.cosign;

import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.note.NoteKeys;
import io.tracemark.proofs.note.NoteVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Which replicas' keys this replica accepts cosignatures from.
 *
 * <p>With {@code tracemark.chain.trusted-keys} set, exactly those keys. Otherwise
 * trust-on-first-use: the first key announced for a key name is pinned (persisted in the data dir)
 * and a different key later announced under the same name is rejected. TOFU keeps the zero-config
 * local stack working (replicas generate their keys on first start); production should pin keys.
 */
public final class TrustPolicy {
    private static final Logger LOG = Logger.getLogger(TrustPolicy.class);

    private final boolean pinned;
    private final Path tofuFile;
    private final Map<String, NoteVerifier> keys = new LinkedHashMap<>();

    private TrustPolicy(boolean pinned, Path tofuFile) {
        this.pinned = pinned;
        this.tofuFile = tofuFile;
    }

    /** A policy trusting exactly {@code verifierKeys}. */
    public static TrustPolicy pinned(List<String> verifierKeys) {
        TrustPolicy p = new TrustPolicy(true, null);
        for (String k : verifierKeys) {
            NoteVerifier v = NoteKeys.parseVerifierKey(k.trim());
            p.keys.put(v.name(), v);
        }
        return p;
    }

    /** A trust-on-first-use policy remembering keys in {@code file}. */
    public static TrustPolicy firstUse(Path file) {
        TrustPolicy p = new TrustPolicy(false, file);
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        NoteVerifier v = NoteKeys.parseVerifierKey(line.trim());
                        p.keys.putIfAbsent(v.name(), v);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Whether keys were pinned by configuration (as opposed to trust-on-first-use). */
    public boolean isPinned() {
        return pinned;
    }

    /** Returns the trusted verifier for an announced key, pinning it first if TOFU allows. */
    public synchronized Optional<NoteVerifier> accept(String verifierKey) {
        NoteVerifier announced;
        try {
            announced = NoteKeys.parseVerifierKey(verifierKey);
        } catch (ProofException e) {
            return Optional.empty();
        }
        NoteVerifier known = keys.get(announced.name());
        if (known != null) {
            if (!known.equals(announced)) {
                LOG.warnf("rejecting key %s: another key is trusted for that name", verifierKey);
                return Optional.empty();
            }
            return Optional.of(known);
        }
        if (pinned) {
            return Optional.empty();
        }
        keys.put(announced.name(), announced);
        remember(announced);
        LOG.infof("trusting cosigner key %s on first use", verifierKey);
        return Optional.of(announced);
    }

    /** Every trusted key. */
    public synchronized Collection<NoteVerifier> trusted() {
        return List.copyOf(keys.values());
    }

    private void remember(NoteVerifier v) {
        try {
            Files.createDirectories(tofuFile.getParent());
            Files.writeString(tofuFile, v.verifierKey() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
