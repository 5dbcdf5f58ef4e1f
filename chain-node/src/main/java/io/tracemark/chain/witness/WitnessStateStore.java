package io.tracemark.chain.witness;

import io.tracemark.chain.log.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The latest cosigned checkpoint of every log, one file per origin named by the lowercase hex
 * SHA-256 of the origin (as in C2SP tlog-witness's monitoring path), replaced with
 * {@link AtomicFile}, so a crash leaves either the old or the new checkpoint. An exclusive file lock
 * keeps a second process off the same state, which could otherwise cosign a fork of what this one
 * cosigned.
 */
public final class WitnessStateStore implements AutoCloseable {
    private static final String SUFFIX = ".checkpoint";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ConcurrentHashMap<String, CosignedCheckpoint> latest = new ConcurrentHashMap<>();

    private WitnessStateStore(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating) the state in {@code dir} and loads every stored checkpoint.
     *
     * @throws IllegalStateException if another process holds the state, or a stored file is damaged
     *     or filed under another origin's name (the witness must not start without its memory)
     */
    public static WitnessStateStore open(Path dir) {
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(dir.resolve("witness.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                ch.close();
                throw new IllegalStateException("witness state " + dir + " is in use by another process");
            }
            WitnessStateStore store = new WitnessStateStore(dir, ch, lock);
            store.load();
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void load() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).toList()) {
                CosignedCheckpoint c;
                try {
                    c = CosignedCheckpoint.parse(Files.readAllBytes(f));
                } catch (RuntimeException e) {
                    throw new IllegalStateException("witness state file " + f + " is damaged", e);
                }
                String origin = c.checkpoint().origin();
                if (!f.getFileName().toString().equals(originHash(origin) + SUFFIX)) {
                    throw new IllegalStateException("witness state file " + f + " holds origin " + origin);
                }
                latest.put(origin, c);
            }
        }
    }

    /** The latest checkpoint cosigned for {@code origin}. */
    public Optional<CosignedCheckpoint> latest(String origin) {
        return Optional.ofNullable(latest.get(origin));
    }

    /** The latest checkpoint cosigned for the origin whose SHA-256 is {@code originHashHex}. */
    public Optional<CosignedCheckpoint> byOriginHash(String originHashHex) {
        return latest.values().stream().filter(c -> originHash(c.checkpoint().origin()).equals(originHashHex))
                .findFirst();
    }

    /** Durably replaces the latest checkpoint of its origin; returns only once it is on disk. */
    public void write(CosignedCheckpoint c) {
        String origin = c.checkpoint().origin();
        AtomicFile.replace(dir.resolve(originHash(origin) + SUFFIX), ByteBuffer.wrap(c.note().encode()));
        latest.put(origin, c);
    }

    /** Lowercase hex SHA-256 of the origin line (C2SP tlog-witness "Monitor Retrieval Mechanism"). */
    public static String originHash(String origin) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(origin.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
