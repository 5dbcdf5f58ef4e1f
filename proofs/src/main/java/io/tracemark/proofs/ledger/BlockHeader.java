package io.tracemark.proofs.ledger;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A sealed block of the log, hash-chained to its predecessor so the log also reads as a chain.
 *
 * <p>The block hash is SHA-256 over a fixed 112-byte big-endian encoding: the 8-byte ASCII domain tag
 * {@code TMBLOCK1}, then {@code height(8) ‖ previousHash(32) ‖ firstLeafIndex(8) ‖ leafCount(8) ‖
 * treeSize(8) ‖ root(32) ‖ timeMillis(8)}. Consistency proofs between
 * checkpoints remain the stronger check; the chain lets a reader walk blocks without the tree.
 */
public record BlockHeader(long height, byte[] previousHash, long firstLeafIndex, long leafCount,
                          long treeSize, byte[] root, long timeMillis) {
    private static final byte[] TAG = "TMBLOCK1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Length of {@link #encode()}. */
    public static final int ENCODED_SIZE = 112;
    /** Previous-hash of the first block (height 0). */
    public static final byte[] GENESIS_PREVIOUS = new byte[32];

    public BlockHeader {
        if (previousHash.length != 32 || root.length != 32) {
            throw new IllegalArgumentException("block hashes are 32 bytes");
        }
        if (height < 0 || firstLeafIndex < 0 || leafCount <= 0 || treeSize != firstLeafIndex + leafCount) {
            throw new IllegalArgumentException("inconsistent block header: first " + firstLeafIndex
                    + " + count " + leafCount + " != size " + treeSize);
        }
        previousHash = previousHash.clone();
        root = root.clone();
    }

    /** The exact bytes hashed into {@link #hash()}. */
    public byte[] encode() {
        return ByteBuffer.allocate(ENCODED_SIZE).put(TAG).putLong(height).put(previousHash)
                .putLong(firstLeafIndex).putLong(leafCount).putLong(treeSize).put(root).putLong(timeMillis).array();
    }

    /** Reads a header written by {@link #encode()}, advancing the buffer by {@link #ENCODED_SIZE}. */
    public static BlockHeader decode(ByteBuffer in) {
        byte[] tag = new byte[TAG.length];
        in.get(tag);
        if (!Arrays.equals(tag, TAG)) {
            throw new IllegalArgumentException("not a TMBLOCK1 block header");
        }
        long height = in.getLong();
        byte[] prev = new byte[32];
        in.get(prev);
        long first = in.getLong();
        long count = in.getLong();
        long size = in.getLong();
        byte[] root = new byte[32];
        in.get(root);
        return new BlockHeader(height, prev, first, count, size, root, in.getLong());
    }

    /** SHA-256 of {@link #encode()}, the value the next block's previousHash must carry. */
    public byte[] hash() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(encode());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether this block directly follows {@code previous} in height, leaves and hash chain. */
    public boolean follows(BlockHeader previous) {
        return height == previous.height + 1 && firstLeafIndex == previous.treeSize
                && Arrays.equals(previousHash, previous.hash());
    }

    @Override
    public byte[] previousHash() {
        return previousHash.clone();
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "BlockHeader[height=" + height + ", previous=" + hex.formatHex(previousHash) + ", first="
                + firstLeafIndex + ", count=" + leafCount + ", size=" + treeSize + ", root=" + hex.formatHex(root)
                + ", time=" + timeMillis + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockHeader b && Arrays.equals(encode(), b.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }
}
