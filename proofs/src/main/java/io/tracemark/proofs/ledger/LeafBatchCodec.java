package io.tracemark.proofs.ledger;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Wire format of records on the chain's leaves topic ({@code tracemark.chain.leaves}).
 *
 * <p>Two record types share the topic so that their relative order, fixed by the single partition,
 * is the same for every replica:
 * <ul>
 *   <li>leaf batch: {@code 0x01 ‖ uint32 count ‖ count × 32-byte record digests}; each digest is the
 *       RFC 9162 leaf <em>data</em>, hashed by the log as {@code SHA-256(0x00 ‖ digest)};</li>
 *   <li>seal marker: {@code 0x02 ‖ uint64 observed tree size}; it closes the open block if it holds
 *       any leaf, and is a no-op otherwise, so duplicate markers from several replicas are harmless.</li>
 * </ul>
 */
public final class LeafBatchCodec {
    /** Type byte of a leaf batch record. */
    public static final byte LEAVES = 0x01;
    /** Type byte of a seal marker record. */
    public static final byte SEAL = 0x02;
    /** Size of one leaf's data: a SHA-256 record digest. */
    public static final int DIGEST_SIZE = 32;
    /** Upper bound on digests per record, keeping records under Kafka's default 1 MiB limit. */
    public static final int MAX_LEAVES_PER_RECORD = 32_000;

    private LeafBatchCodec() {
    }

    /** Encodes a batch of 32-byte digests as one leaves-topic record value. */
    public static byte[] encodeLeaves(List<byte[]> digests) {
        if (digests.isEmpty() || digests.size() > MAX_LEAVES_PER_RECORD) {
            throw new IllegalArgumentException("a leaf batch holds 1.." + MAX_LEAVES_PER_RECORD + " digests, not " + digests.size());
        }
        ByteBuffer b = ByteBuffer.allocate(5 + digests.size() * DIGEST_SIZE);
        b.put(LEAVES).putInt(digests.size());
        for (byte[] d : digests) {
            if (d.length != DIGEST_SIZE) {
                throw new IllegalArgumentException("a record digest is 32 bytes, not " + d.length);
            }
            b.put(d);
        }
        return b.array();
    }

    /** Encodes a seal marker carrying the tree size its sender had observed (informational). */
    public static byte[] encodeSeal(long observedTreeSize) {
        return ByteBuffer.allocate(9).put(SEAL).putLong(observedTreeSize).array();
    }

    /** The record type byte, after checking the record is well formed. */
    public static byte type(byte[] value) {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("empty leaves-topic record");
        }
        if (value[0] == LEAVES) {
            leafCount(value);
            return LEAVES;
        }
        if (value[0] == SEAL && value.length == 9) {
            return SEAL;
        }
        throw new IllegalArgumentException("unknown leaves-topic record type 0x" + Integer.toHexString(value[0] & 0xff)
                + " or bad length " + value.length);
    }

    /** Number of digests in a leaf batch record, checking the length matches. */
    public static int leafCount(byte[] value) {
        if (value.length < 5 || value[0] != LEAVES) {
            throw new IllegalArgumentException("not a leaf batch record");
        }
        int n = ByteBuffer.wrap(value, 1, 4).getInt();
        if (n <= 0 || n > MAX_LEAVES_PER_RECORD || value.length != 5 + (long) n * DIGEST_SIZE) {
            throw new IllegalArgumentException("leaf batch claims " + n + " digests but has " + value.length + " bytes");
        }
        return n;
    }

    /** Offset of the i-th digest within a leaf batch record value. */
    public static int digestOffset(int i) {
        return 5 + i * DIGEST_SIZE;
    }

    /** Copies the digests out of a leaf batch record. */
    public static List<byte[]> decodeLeaves(byte[] value) {
        int n = leafCount(value);
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] d = new byte[DIGEST_SIZE];
            System.arraycopy(value, digestOffset(i), d, 0, DIGEST_SIZE);
            out.add(d);
        }
        return out;
    }
}
