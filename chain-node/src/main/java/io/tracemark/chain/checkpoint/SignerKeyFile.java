package io.tracemark.chain.checkpoint;

import io.tracemark.proofs.note.Ed25519NoteSigner;
import io.tracemark.proofs.note.NoteKeys;
import io.tracemark.proofs.note.NoteSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Loads the replica's C2SP signed-note signer key ({@code PRIVATE+KEY+name+keyid+base64}) from
 * configuration, or from the data dir, generating it there on first start.
 */
public final class SignerKeyFile {
    private static final Logger LOG = Logger.getLogger(SignerKeyFile.class);

    private SignerKeyFile() {
    }

    /** The configured key if given, else {@code dir/note-signer.key}, generated for {@code keyName} if absent. */
    public static NoteSigner load(Optional<String> configured, Path dir, String keyName) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            NoteSigner s = NoteKeys.parseSignerKey(configured.get().trim());
            if (!s.name().equals(keyName)) {
                LOG.warnf("configured signing key is named %s, not %s; signatures carry the key's own name", s.name(), keyName);
            }
            return s;
        }
        Path file = dir.resolve("note-signer.key");
        try {
            if (Files.exists(file)) {
                NoteSigner s = NoteKeys.parseSignerKey(Files.readString(file, StandardCharsets.UTF_8).trim());
                if (!s.name().equals(keyName)) {
                    throw new IllegalStateException(file + " holds a key for " + s.name() + ", but this replica is "
                            + keyName + "; use a separate data dir per replica");
                }
                return s;
            }
            Files.createDirectories(dir);
            Ed25519NoteSigner s = Ed25519NoteSigner.generate(keyName, new SecureRandom());
            Path tmp = dir.resolve("note-signer.key.tmp");
            Files.writeString(tmp, s.signerKey() + "\n", StandardCharsets.UTF_8);
            trySecure(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            LOG.infof("generated note signing key; verifier key %s", s.verifier().verifierKey());
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void trySecure(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Non-POSIX file systems cannot restrict this; the key is still only in the data dir.
        }
    }
}
