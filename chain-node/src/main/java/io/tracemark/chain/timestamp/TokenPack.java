package io.tracemark.chain.timestamp;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Time-stamp responses (or tokens: the external authorities' are stored as bare tokens) packed into two append-only files rather than one file per checkpoint
 * (several checkpoints a second add up to millions of files): {@code tokens.pack} holds the DER
 * responses back to back and {@code tokens.idx} one record per response (checkpoint size, offset,
 * length) in increasing size order, so a lookup is a binary search. A tail torn by a crash is cut
 * off on open. Responses stored by earlier versions as {@code <size>.tsr} files are still served.
 */
public final class TokenPack implements Closeable {
    private static final int RECORD = 8 + 8 + 4;

    private final Path dir;
    private final FileChannel pack;
    private final FileChannel index;
    private long packLength;
    private long records;
    private long lastSize = -1;

    private TokenPack(Path dir, FileChannel pack, FileChannel index) {
        this.dir = dir;
        this.pack = pack;
        this.index = index;
    }

    /** Opens (creating if needed) the pack in {@code dir}, dropping a torn tail. */
    public static TokenPack open(Path dir) {
        try {
            Files.createDirectories(dir);
            FileChannel pack = FileChannel.open(dir.resolve("tokens.pack"), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileChannel index = FileChannel.open(dir.resolve("tokens.idx"), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            TokenPack p = new TokenPack(dir, pack, index);
            p.recover();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the time-stamp pack in " + dir, e);
        }
    }

    private void recover() throws IOException {
        long n = index.size() / RECORD;
        long packSize = pack.size();
        while (n > 0) {
            ByteBuffer r = record(n - 1);
            long size = r.getLong();
            long end = r.getLong() + r.getInt();
            if (end <= packSize) {
                lastSize = size;
                packLength = end;
                break;
            }
            n--;
        }
        records = n;
        index.truncate(n * RECORD);
        pack.truncate(packLength);
    }

    /** Whether a response for the checkpoint of {@code size} is stored. */
    public synchronized boolean contains(long size) {
        return find(size) >= 0 || Files.exists(legacy(size));
    }

    /** The stored response for the checkpoint of {@code size}. */
    public synchronized Optional<byte[]> read(long size) {
        try {
            long i = find(size);
            if (i < 0) {
                return Optional.of(Files.readAllBytes(legacy(size)));
            }
            ByteBuffer r = record(i);
            r.getLong();
            long offset = r.getLong();
            ByteBuffer body = ByteBuffer.allocate(r.getInt());
            while (body.hasRemaining()) {
                if (pack.read(body, offset + body.position()) < 0) {
                    throw new IOException("time-stamp pack ends early");
                }
            }
            return Optional.of(body.array());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Appends the response for the checkpoint of {@code size}; returns false, storing nothing, if
     * that size is not above every stored one (the index must stay sorted).
     */
    public synchronized boolean append(long size, byte[] response) {
        if (size <= lastSize) {
            return false;
        }
        try {
            writeFully(pack, ByteBuffer.wrap(response), packLength);
            ByteBuffer r = ByteBuffer.allocate(RECORD).putLong(size).putLong(packLength).putInt(response.length).flip();
            writeFully(index, r, records * RECORD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        packLength += response.length;
        records++;
        lastSize = size;
        return true;
    }

    private long find(long size) {
        long lo = 0;
        long hi = records - 1;
        while (lo <= hi) {
            long mid = (lo + hi) >>> 1;
            long at = record(mid).getLong();
            if (at == size) {
                return mid;
            }
            if (at < size) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    private ByteBuffer record(long i) {
        ByteBuffer r = ByteBuffer.allocate(RECORD);
        try {
            while (r.hasRemaining()) {
                if (index.read(r, i * RECORD + r.position()) < 0) {
                    throw new IOException("time-stamp index ends early");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return r.flip();
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b, position + b.position());
        }
    }

    private Path legacy(long size) {
        return dir.resolve(size + ".tsr");
    }

    @Override
    public synchronized void close() {
        try {
            pack.close();
            index.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
