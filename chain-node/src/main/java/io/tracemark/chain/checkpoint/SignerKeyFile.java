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
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Loads a C2SP signed-note signer key ({@code PRIVATE+KEY+name+keyid+base64}), the replica's or its
 * witness's, from configuration, or from the data dir, generating it there on first start.
 */
public final class SignerKeyFile {
    private static final Logger LOG = Logger.getLogger(SignerKeyFile.class);

    private SignerKeyFile() {
    }

    /** The configured key if given, else {@code dir/note-signer.key}, generated for {@code keyName} if absent. */
    public static NoteSigner load(Optional<String> configured, Path dir, String keyName) {
        return load(configured, dir.resolve("note-signer.key"), keyName, NoteKeys::parseSignerKey,
                () -> Ed25519NoteSigner.generate(keyName, new SecureRandom()), s -> ((Ed25519NoteSigner) s).signerKey());
    }

    /**
     * The configured key if given, else the key in {@code file}, generated with {@code generate} and
     * written there (owner-only) if absent. The key itself is never logged, only its verifier key.
     *
     * @param parse parses a {@code PRIVATE+KEY+…} string
     * @param encode the {@code PRIVATE+KEY+…} string of a generated key
     */
    public static <S extends NoteSigner> S load(Optional<String> configured, Path file, String keyName,
            Function<String, S> parse, Supplier<S> generate, Function<S, String> encode) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            S s = parse.apply(configured.get().trim());
            if (!s.name().equals(keyName)) {
                LOG.warnf("configured signing key is named %s, not %s; signatures carry the key's own name", s.name(), keyName);
            }
            return s;
        }
        try {
            if (Files.exists(file)) {
                S s = parse.apply(Files.readString(file, StandardCharsets.UTF_8).trim());
                if (!s.name().equals(keyName)) {
                    throw new IllegalStateException(file + " holds a key for " + s.name() + ", but this replica is "
                            + keyName + "; use a separate data dir per replica");
                }
                return s;
            }
            Files.createDirectories(file.getParent());
            S s = generate.get();
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, encode.apply(s) + "\n", StandardCharsets.UTF_8);
            trySecure(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            LOG.infof("generated signing key %s; verifier key %s", file.getFileName(), s.verifier().verifierKey());
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
