package io.tracemark.chain.log;

import io.tracemark.proofs.ledger.BlockHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@link LogState} persisted atomically: written to a temporary file, fsync'd, renamed over the old
 * one and the directory fsync'd, with a SHA-256 trailer so a damaged file is recognised rather than
 * trusted.
 */
public final class StateFile {
    private static final byte[] MAGIC = "TMSTATE1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int BODY = 8 + 8 * 4 + 1 + BlockCodec.HEADER_BYTES;

    private final Path file;
    private final Path tmp;

    /** The state file {@code state.bin} in {@code dir}. */
    public StateFile(Path dir) {
        this.file = dir.resolve("state.bin");
        this.tmp = dir.resolve("state.bin.tmp");
    }

    /** Reads the state; empty if there is none, and empty (with a reason logged by the caller) if damaged. */
    public Optional<LogState> read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length != BODY + 32 || !Arrays.equals(sha256(bytes, BODY), Arrays.copyOfRange(bytes, BODY, BODY + 32))
                || !Arrays.equals(MAGIC, Arrays.copyOf(bytes, 8))) {
            throw new IllegalStateException("state file " + file + " is damaged");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 8, BODY - 8);
        long next = in.getLong();
        long size = in.getLong();
        long blocks = in.getLong();
        long dataLength = in.getLong();
        BlockHeader header = in.get() == 1 ? BlockCodec.decodeHeader(in) : null;
        return Optional.of(new LogState(next, size, blocks, dataLength, header));
    }

    /** Replaces the state atomically and durably. */
    public void write(LogState s) {
        ByteBuffer out = ByteBuffer.allocate(BODY + 32);
        out.put(MAGIC).putLong(s.nextOffset()).putLong(s.treeSize()).putLong(s.blocks()).putLong(s.blocksDataLength());
        if (s.lastHeader() != null) {
            out.put((byte) 1).put(s.lastHeader().encode());
        } else {
            out.put((byte) 0).put(new byte[BlockCodec.HEADER_BYTES]);
        }
        out.put(sha256(out.array(), BODY));
        out.flip();
        AtomicFile.replace(file, out);
    }

    /** Removes the state, so the next start rebuilds from the topic. */
    public void delete() {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha256(byte[] b, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b, 0, len);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
