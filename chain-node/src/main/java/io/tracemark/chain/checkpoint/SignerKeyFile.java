package io.tracemark.chain.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Loads the replica's note signer key from configuration, or from (generating on first start) the data dir. */
public final class SignerKeyFile {
    private static final Logger LOG = Logger.getLogger(SignerKeyFile.class);

    private SignerKeyFile() {
    }

    /** The configured key if given, else {@code dir/note-signer.key}, generated for {@code keyName} if absent. */
    public static NoteSigner load(Optional<String> configured, Path dir, String keyName) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            NoteSigner s = NoteSigner.parse(configured.get());
            if (!s.name().equals(keyName)) {
                LOG.warnf("configured signing key is named %s, not %s; signatures carry the key's own name", s.name(), keyName);
            }
            return s;
        }
        Path file = dir.resolve("note-signer.key");
        try {
            if (Files.exists(file)) {
                NoteSigner s = NoteSigner.parse(Files.readString(file, StandardCharsets.UTF_8));
                if (!s.name().equals(keyName)) {
                    throw new IllegalStateException(file + " holds a key for " + s.name() + ", but this replica is "
                            + keyName + "; use a separate data dir per replica");
                }
                return s;
            }
            Files.createDirectories(dir);
            NoteSigner s = NoteSigner.generate(keyName);
            Path tmp = dir.resolve("note-signer.key.tmp");
            Files.writeString(tmp, s.encode() + "\n", StandardCharsets.UTF_8);
            trySecure(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            LOG.infof("generated note signing key; verifier key %s", s.verifier().encode());
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
