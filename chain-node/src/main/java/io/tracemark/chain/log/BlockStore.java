package io.tracemark.chain.log;

import io.tracemark.chain.tiles.AppendFile;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Sealed blocks on local disk: {@code blocks.bin} holds the encoded blocks back to back and
 * {@code blocks.idx} the start position of each height (8 bytes per block).
 */
public final class BlockStore implements Closeable {
    private final AppendFile data;
    private final AppendFile index;

    /** Opens the store in {@code dir}. */
    public BlockStore(Path dir) {
        data = new AppendFile(dir.resolve("blocks.bin"), 1 << 16);
        index = new AppendFile(dir.resolve("blocks.idx"), 1 << 12);
    }

    /** Appends the next block (heights are dense, starting at 0). */
    public void append(SealedBlock block) {
        byte[] pos = ByteBuffer.allocate(8).putLong(data.length()).array();
        index.append(pos, 0, 8);
        byte[] bytes = BlockCodec.encode(block);
        data.append(bytes, 0, bytes.length);
    }

    /** Bytes of block data written so far. */
    public long dataLength() {
        return data.length();
    }

    /** Makes appended blocks visible to readers. */
    public void flush() {
        data.flush();
        index.flush();
    }

    /** fsyncs flushed blocks. */
    public void force() {
        data.force();
        index.force();
    }

    /** Whether the files hold {@code blocks} blocks in {@code dataLength} bytes. */
    public boolean holds(long blocks, long dataLength) {
        return index.length() >= blocks * 8 && data.length() >= dataLength;
    }

    /** Drops everything after the first {@code blocks} blocks, which end at {@code dataLength}. */
    public void truncate(long blocks, long dataLength) {
        index.truncate(blocks * 8);
        data.truncate(dataLength);
    }

    /** Reads block {@code height} of a chain of {@code blocks} blocks ending at {@code dataLength}. */
    public SealedBlock read(long height, long blocks, long dataLength) {
        if (height < 0 || height >= blocks) {
            throw new IllegalArgumentException("no block " + height);
        }
        byte[] pos = new byte[16];
        boolean last = height == blocks - 1;
        index.read(height * 8, pos, 0, last ? 8 : 16);
        ByteBuffer b = ByteBuffer.wrap(pos);
        long start = b.getLong();
        long end = last ? dataLength : b.getLong();
        byte[] bytes = new byte[(int) (end - start)];
        data.read(start, bytes, 0, bytes.length);
        return BlockCodec.decode(bytes);
    }

    /**
     * Height of the block that appended leaf {@code leaf}, among the first {@code blocks} blocks, or
     * -1 if they end before it. Blocks cover consecutive leaf ranges in height order, so this is a
     * binary search on their headers' tree sizes: about log2(blocks) header reads, whatever the height.
     */
    public long heightOfLeaf(long leaf, long blocks) {
        if (leaf < 0 || blocks <= 0 || treeSizeAt(blocks - 1) <= leaf) {
            return -1;
        }
        long lo = 0;
        long hi = blocks - 1;
        // Invariant: the answer is in [lo, hi]; block hi ends after the leaf.
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (treeSizeAt(mid) > leaf) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Tree size after block {@code height}, read from its stored header alone. */
    private long treeSizeAt(long height) {
        byte[] pos = new byte[8];
        index.read(height * 8, pos, 0, 8);
        byte[] header = new byte[BlockCodec.HEADER_BYTES];
        data.read(ByteBuffer.wrap(pos).getLong(), header, 0, header.length);
        return BlockCodec.decodeHeader(ByteBuffer.wrap(header)).treeSize();
    }

    @Override
    public void close() {
        data.close();
        index.close();
    }
}
