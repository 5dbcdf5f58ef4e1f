package io.tracemark.chain.tiles;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An append-only file with a write buffer: one writer thread appends and flushes, another may
 * fsync, and any thread may read bytes that were flushed (positional reads do not move the channel).
 */
public final class AppendFile implements Closeable {
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private volatile long flushedLength;

    /** Opens (creating if needed) {@code path} for appending, with a write buffer of {@code bufferSize}. */
    public AppendFile(Path path, int bufferSize) {
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            flushedLength = channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path, e);
        }
        buffer = ByteBuffer.allocateDirect(bufferSize);
    }

    /** Bytes appended so far, including those still buffered. */
    public long length() {
        return flushedLength + buffer.position();
    }

    /** Appends {@code len} bytes from {@code src}. */
    public void append(byte[] src, int off, int len) {
        while (len > 0) {
            if (!buffer.hasRemaining()) {
                flush();
            }
            int n = Math.min(len, buffer.remaining());
            buffer.put(src, off, n);
            off += n;
            len -= n;
        }
    }

    /** Hands buffered bytes to the OS so that readers (and a later {@link #force()}) see them. */
    public void flush() {
        buffer.flip();
        try {
            long pos = flushedLength;
            while (buffer.hasRemaining()) {
                pos += channel.write(buffer, pos);
            }
            flushedLength = pos;
        } catch (IOException e) {
            throw new UncheckedIOException("write failed", e);
        } finally {
            buffer.clear();
        }
    }

    /** fsyncs everything flushed so far (data only: the length is implied by the state file). */
    public void force() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("fsync failed", e);
        }
    }

    /** Cuts the file to {@code length} bytes, dropping anything buffered; recovery only. */
    public void truncate(long length) {
        buffer.clear();
        try {
            channel.truncate(length);
            channel.force(true);
            flushedLength = Math.min(length, channel.size());
        } catch (IOException e) {
            throw new UncheckedIOException("truncate failed", e);
        }
    }

    /** Reads exactly {@code len} flushed bytes at {@code pos} into {@code dst}. */
    public void read(long pos, byte[] dst, int off, int len) {
        if (pos + len > flushedLength) {
            throw new IllegalStateException("read beyond flushed data: " + (pos + len) + " > " + flushedLength);
        }
        ByteBuffer b = ByteBuffer.wrap(dst, off, len);
        try {
            while (b.hasRemaining()) {
                if (channel.read(b, pos + b.position() - off) < 0) {
                    throw new EOFException("file shorter than expected");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("read failed", e);
        }
    }

    /**
     * Reads exactly {@code len} appended bytes at {@code pos}, including bytes still in the write
     * buffer. Only the writer thread may call this: it alone knows the buffer is not changing under it.
     */
    public void readAppended(long pos, byte[] dst, int off, int len) {
        long flushed = flushedLength;
        if (pos < 0 || pos + len > flushed + buffer.position()) {
            throw new IllegalStateException("read beyond appended data: " + (pos + len) + " > " + length());
        }
        int fromFile = (int) Math.max(0, Math.min(len, flushed - pos));
        if (fromFile > 0) {
            read(pos, dst, off, fromFile);
        }
        if (fromFile < len) {
            // An append may have filled the buffer mid-record, so one read can straddle the flush point.
            buffer.get((int) (pos + fromFile - flushed), dst, off + fromFile, len - fromFile);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("close failed", e);
        }
    }
}
