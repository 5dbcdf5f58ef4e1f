package io.tracemark.chain.log;

import io.tracemark.chain.tiles.TileStore;
import io.tracemark.proofs.ledger.BlockHeader;
import io.tracemark.proofs.ledger.LeafBatchCodec;
import io.tracemark.proofs.merkle.CompactRange;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;
import org.jboss.logging.Logger;

/**
 * The deterministic state machine every replica runs over the leaves topic (docs/ledger.md): leaf
 * index = position in the topic's sequence of distinct leaves; a block is cut after the record that makes pending leaves reach the size limit (or pending batches reach theirs), or at a
 * seal marker when leaves are pending; its time is the append time of that record.
 *
 * <p>Each leaf hash (RFC 9162 §2.1.1) is appended once. A digest whose leaf hash is already in the
 * tree (sealed or not), or came earlier in the same record, is skipped and its position recorded in
 * the record's {@link Batch}, so an anchor request published twice never becomes a second leaf. The
 * decision depends only on the topic's contents, hence is the same on every replica. A block never
 * has zero leaves ({@link BlockHeader} forbids it): a record whose digests were all skipped joins the
 * next block that appends a leaf, and a seal marker or the batch limit does not cut without one.
 *
 * <p>Confined to the apply thread. Leaves are hashed, looked up and appended without per-leaf
 * allocation; only a record with skipped digests allocates the list of their positions.
 */
public final class LogEngine {
    private static final Logger LOG = Logger.getLogger(LogEngine.class);
    private static final int H = Rfc9162Hasher.HASH_SIZE;
    /**
     * Leaves hashed and looked up together: {@link LeafIndex#prefetch} overlaps their table misses,
     * and 256 leaves × a few tables of 64-byte lines stay in L2 until the exact probes read them.
     */
    private static final int CHUNK = 256;

    private final TileStore tiles;
    private final BlockStore blocks;
    private final LeafIndex index;
    private final CompactRange range;
    private final int maxLeaves;
    private final int maxBatches;
    private final Rfc9162Hasher hasher = new Rfc9162Hasher();
    private final byte[] leafHash = new byte[H];
    private final byte[] stored = new byte[65 * H];
    private final List<Batch> pending = new ArrayList<>();
    private final byte[] chunkHashes = new byte[CHUNK * H];
    private final byte[] candidateDigest = new byte[H];
    private final byte[] candidateHash = new byte[H];
    private final LongFunction<byte[]> appendedLeafHash = this::appendedLeafHash;
    private int[] skippedPositions = new int[64];
    /** Digests of the record being applied that were skipped as duplicates. */
    private int skippedCount;

    private long nextOffset;
    private long nextHeight;
    private BlockHeader lastHeader;
    private long blockFromOffset;
    private long blockFirstLeaf;
    private long oldestPendingTime;

    /** Continues the log from a recovered, durable {@code state} whose tree is {@code range}. */
    public LogEngine(TileStore tiles, BlockStore blocks, LeafIndex index, CompactRange range, LogState state,
            int maxLeavesPerBlock, int maxBatchesPerBlock) {
        if (range.size() != state.treeSize()) {
            throw new IllegalArgumentException("range and state disagree on the tree size");
        }
        this.tiles = tiles;
        this.blocks = blocks;
        this.index = index;
        this.range = range;
        this.maxLeaves = maxLeavesPerBlock;
        this.maxBatches = maxBatchesPerBlock;
        this.nextOffset = state.nextOffset();
        this.nextHeight = state.blocks();
        this.lastHeader = state.lastHeader();
        this.blockFromOffset = state.nextOffset();
        this.blockFirstLeaf = state.treeSize();
    }

    /** Topic offset of the next record to apply. */
    public long nextOffset() {
        return nextOffset;
    }

    /** Leaves applied so far, sealed or not. */
    public long treeSize() {
        return range.size();
    }

    /** Leaves appended since the last block (records whose digests were all skipped add none). */
    public long pendingLeaves() {
        return range.size() - blockFirstLeaf;
    }

    /** Height the next block will get. */
    public long nextHeight() {
        return nextHeight;
    }

    /** Broker append time of the oldest record that appended unsealed leaves (meaningless when none pending). */
    public long oldestPendingTime() {
        return oldestPendingTime;
    }

    /**
     * The RFC 9162 §2.1.1 leaf hashes of a leaf batch record's digests, 32 bytes each in record order,
     * or null for any other record. Pure, so another thread can compute them ahead of {@link #apply}.
     */
    public static byte[] leafHashes(byte[] value, Rfc9162Hasher hasher) {
        int n;
        try {
            if (LeafBatchCodec.type(value) != LeafBatchCodec.LEAVES) {
                return null;
            }
            n = LeafBatchCodec.leafCount(value);
        } catch (IllegalArgumentException e) {
            // apply() skips it and says why.
            return null;
        }
        byte[] out = new byte[n * H];
        for (int i = 0; i < n; i++) {
            hasher.leafHashInto(value, LeafBatchCodec.digestOffset(i), H, out, i * H);
        }
        return out;
    }

    /**
     * Applies one leaves-topic record; returns the block it closed, with data flushed for the
     * sealer, or null. Records before {@link #nextOffset()} are ignored (redelivery).
     */
    public Commit apply(long offset, long appendTime, byte[] value) {
        return apply(offset, appendTime, value, (LeafHashes) null);
    }

    /**
     * Like {@link #apply(long, long, byte[])}, with the record's {@link #leafHashes} already
     * computed (null: computed here), so hashing can run on another core.
     */
    public Commit apply(long offset, long appendTime, byte[] value, byte[] precomputedLeafHashes) {
        return apply(offset, appendTime, value, LeafHashes.of(precomputedLeafHashes));
    }

    /**
     * Like {@link #apply(long, long, byte[])}, with what another core hashed ahead (null: hashed here): the leaf
     * hashes, and the roots of the record's whole aligned subtrees if it starts where they were computed for.
     */
    public Commit apply(long offset, long appendTime, byte[] value, LeafHashes ahead) {
        if (offset < nextOffset) {
            return null;
        }
        nextOffset = offset + 1;
        byte type;
        try {
            type = LeafBatchCodec.type(value);
        } catch (IllegalArgumentException e) {
            // Every replica skips the same malformed record, so the trees stay identical.
            LOG.warnf(e, "skipping malformed leaves record at offset %d", offset);
            return null;
        }
        if (type == LeafBatchCodec.SEAL) {
            // A marker with no new leaves pending is a no-op (LeafBatchCodec), even if all-duplicate
            // records are pending: they are carried into the next block that appends a leaf.
            return pendingLeaves() == 0 ? null : cut(offset, appendTime);
        }
        int n = LeafBatchCodec.leafCount(value);
        long first = range.size();
        skippedCount = 0;
        // The subtree roots hold while the record starts where they were computed for and no leaf is skipped.
        boolean aligned = ahead != null && ahead.subtreeRoots() != null && ahead.firstLeaf() == first;
        int head = aligned ? LeafHashes.head(first) : 0;
        for (int chunkStart = 0; chunkStart < n; ) {
            // Chunks end on subtree boundaries when aligned (the first one after `head` leaves), else every CHUNK.
            int c = Math.min(n - chunkStart, chunkStart < head ? head - chunkStart : CHUNK);
            if (ahead != null) {
                System.arraycopy(ahead.leafHashes(), chunkStart * H, chunkHashes, 0, c * H);
            } else {
                for (int i = 0; i < c; i++) {
                    hasher.leafHashInto(value, LeafBatchCodec.digestOffset(chunkStart + i), H, chunkHashes, i * H);
                }
            }
            index.prefetch(chunkHashes, c, range.size());
            if (aligned && c == LeafHashes.SUBTREE_LEAVES && chunkStart >= head) {
                aligned = appendSubtree(value, chunkStart, ahead.subtreeRoots(), (chunkStart - head) / LeafHashes.SUBTREE_LEAVES);
            } else {
                appendLeaves(value, chunkStart, 0, c);
                aligned &= skippedCount == 0;
            }
            chunkStart += c;
        }
        int appended = (int) (range.size() - first);
        if (appended > 0 && pendingLeaves() == appended) {
            oldestPendingTime = appendTime;
        }
        pending.add(new Batch(offset, first, appended, skippedCount == 0 ? List.of() : skippedList(skippedCount)));
        // A block needs at least one leaf (BlockHeader: leafCount > 0): records that were all
        // duplicates ride along in the next block that has some.
        if (pendingLeaves() > 0 && (pendingLeaves() >= maxLeaves || pending.size() >= maxBatches)) {
            return cut(offset, appendTime);
        }
        return null;
    }

    /**
     * Leaf hash of an applied leaf, for {@link LeafIndex#findOrPut} to confirm a candidate. Read with
     * {@link TileStore#appendedLeafHash}, not {@link TileStore#readLevel}: the duplicate may have been
     * appended moments ago and still sit in the entries' write buffer.
     */
    private byte[] appendedLeafHash(long leaf) {
        tiles.appendedLeafHash(leaf, hasher, candidateDigest, candidateHash);
        return candidateHash;
    }

    /**
     * Appends the chunk's leaves {@code from..to} (indexes into {@link #chunkHashes}; record positions from
     * {@code chunkStart}) one by one, skipping duplicates.
     */
    private void appendLeaves(byte[] value, int chunkStart, int from, int to) {
        for (int i = from; i < to; i++) {
            System.arraycopy(chunkHashes, i * H, leafHash, 0, H);
            if (index.findOrPut(leafHash, range.size(), appendedLeafHash) >= 0) {
                skip(chunkStart + i);
                continue;
            }
            int count = range.appendLeafHash(leafHash, 0, stored, 0);
            tiles.append(value, LeafBatchCodec.digestOffset(chunkStart + i), stored, count);
        }
    }

    /**
     * Appends a chunk of {@link LeafHashes#SUBTREE_LEAVES} leaves that starts on a subtree boundary: every leaf is
     * looked up and indexed at the position it takes if none is a duplicate, its digest written at once (a later
     * leaf of the chunk may be its duplicate, confirmed against the entries), then the chunk goes into the tree as
     * one subtree with the root hashed ahead. A duplicate ends that: the leaves before it go in one by one, the rest
     * as usual, and the caller stops using subtree roots for the record (returns false).
     */
    private boolean appendSubtree(byte[] value, int chunkStart, byte[] roots, int subtree) {
        long base = range.size();
        int c = LeafHashes.SUBTREE_LEAVES;
        for (int i = 0; i < c; i++) {
            System.arraycopy(chunkHashes, i * H, leafHash, 0, H);
            if (index.findOrPut(leafHash, base + i, appendedLeafHash) >= 0) {
                for (int j = 0; j < i; j++) {
                    tiles.appendLevels(stored, range.appendLeafHash(chunkHashes, j * H, stored, 0), 0);
                }
                skip(chunkStart + i);
                appendLeaves(value, chunkStart, i + 1, c);
                return false;
            }
            tiles.appendEntry(value, LeafBatchCodec.digestOffset(chunkStart + i));
        }
        int count = range.appendSubtree(roots, subtree * H, LeafHashes.SUBTREE_HEIGHT, stored, 0);
        tiles.appendLevels(stored, count, LeafHashes.SUBTREE_HEIGHT);
        return true;
    }

    private void skip(int position) {
        if (skippedCount == skippedPositions.length) {
            skippedPositions = Arrays.copyOf(skippedPositions, 2 * skippedCount);
        }
        skippedPositions[skippedCount++] = position;
    }

    private List<Integer> skippedList(int skippedCount) {
        List<Integer> out = new ArrayList<>(skippedCount);
        for (int i = 0; i < skippedCount; i++) {
            out.add(skippedPositions[i]);
        }
        return out;
    }

    private Commit cut(long offset, long appendTime) {
        long size = range.size();
        byte[] previous = lastHeader == null ? BlockHeader.GENESIS_PREVIOUS : lastHeader.hash();
        BlockHeader header = new BlockHeader(nextHeight, previous, blockFirstLeaf, size - blockFirstLeaf, size,
                range.root(), appendTime);
        SealedBlock block = new SealedBlock(header, blockFromOffset, offset, pending);
        tiles.flush();
        blocks.append(block);
        blocks.flush();
        lastHeader = header;
        nextHeight++;
        blockFromOffset = offset + 1;
        blockFirstLeaf = size;
        pending.clear();
        return new Commit(block, new LogState(offset + 1, size, nextHeight, blocks.dataLength(), header));
    }
}
