package io.tracemark.chain.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a small file atomically and durably: written to {@code <file>.tmp}, fsync'd, renamed over
 * the old file, and the directory fsync'd, so after a crash the file holds either the old or the
 * new content, never a mix.
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** Replaces {@code file} with {@code content}; returns once both are on disk. */
    public static void replace(Path file, ByteBuffer content) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (content.hasRemaining()) {
                ch.write(content);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void syncDirectory(Path dir) throws IOException {
        // Makes the rename itself durable; Linux allows fsync on a directory opened read-only.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
