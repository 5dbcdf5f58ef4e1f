package io.tracemark.attest.webhooks;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A file of {@link SecretBox} keys in {@code secret-keys} syntax, created with one fresh random key
 * (mode 600) when absent, so a single-host launcher gets a stable key without handling it.
 */
final class SecretKeyFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** The keys read, whether this call created the file, and whether group or others may read it. */
    record Loaded(List<SecretBox.Key> keys, boolean created, boolean exposed) {
    }

    private SecretKeyFile() {
    }

    /** Reads {@code file}, first creating it with a new key if it does not exist. */
    static Loaded loadOrCreate(Path file) throws IOException {
        boolean created = false;
        if (!Files.exists(file)) {
            created = create(file);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<SecretBox.Key> keys;
        try {
            keys = SecretBox.parseKeys(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
        return new Loaded(keys, created, exposed(file));
    }

    /**
     * Writes the key to a private temporary file and links it into place: a link never replaces an existing
     * file, so two processes starting at once agree on whichever key landed first.
     */
    private static boolean create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        FileAttribute<?>[] attrs = posix ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, ".webhook-secret-key", ".tmp", attrs);
        try {
            byte[] id = new byte[4];
            new SecureRandom().nextBytes(id);
            String line = SecretBox.Key.generate("local-" + HexFormat.of().formatHex(id)).encoded() + "\n";
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(StandardCharsets.UTF_8.encode(line));
                ch.force(true);
            }
            try {
                try {
                    Files.createLink(file, tmp);
                } catch (UnsupportedOperationException e) {
                    Files.move(tmp, file);
                }
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean exposed(Path file) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
            return false;
        }
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
        return p.stream().anyMatch(x -> !OWNER_ONLY.contains(x) && x != PosixFilePermission.OWNER_EXECUTE);
    }
}
