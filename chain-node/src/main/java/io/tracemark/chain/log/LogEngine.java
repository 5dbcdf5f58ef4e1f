package io.tracemark.chain.log;

import io.tracemark.chain.tiles.TileStore;
import io.tracemark.proofs.ledger.BlockHeader;
import io.tracemark.proofs.ledger.LeafBatchCodec;
import io.tracemark.proofs.merkle.CompactRange;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The deterministic state machine every replica runs over the leaves topic (architecture.md "The
 * chain node"): leaf index = position in the topic's leaf sequence; a block is cut after the record
 * that makes pending leaves reach the size limit (or pending batches reach theirs), or at a seal
 * marker when leaves are pending; its time is the append time of that record.
 *
 * <p>Confined to the apply thread. Appends are hashed (RFC 9162 §2.1.1) without per-leaf allocation.
 */
public final class LogEngine {
    private static final Logger LOG = Logger.getLogger(LogEngine.class);
    private static final int H = Rfc9162Hasher.HASH_SIZE;

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

    /** Leaves applied since the last block. */
    public long pendingLeaves() {
        return range.size() - blockFirstLeaf;
    }

    /** Height the next block will get. */
    public long nextHeight() {
        return nextHeight;
    }

    /** Broker append time of the oldest record with unsealed leaves (meaningless when none pending). */
    public long oldestPendingTime() {
        return oldestPendingTime;
    }

    /**
     * Applies one leaves-topic record; returns the block it closed, with data flushed for the
     * sealer, or null. Records before {@link #nextOffset()} are ignored (redelivery).
     */
    public Commit apply(long offset, long appendTime, byte[] value) {
        if (offset < nextOffset) {
            return null;
        }
        nextOffset = offset + 1;
        byte type;
        try {
            type = LeafBatchCodec.type(value);
        } catch (IllegalArgumentException e) {
            // Every replica skips the same malformed record, so the trees stay identical.
            LOG.warnf("skipping malformed leaves record at offset %d: %s", offset, e.getMessage());
            return null;
        }
        if (type == LeafBatchCodec.SEAL) {
            return pending.isEmpty() ? null : cut(offset, appendTime);
        }
        int n = LeafBatchCodec.leafCount(value);
        if (pending.isEmpty()) {
            oldestPendingTime = appendTime;
        }
        pending.add(new Batch(offset, range.size(), n));
        for (int i = 0; i < n; i++) {
            int off = LeafBatchCodec.digestOffset(i);
            long leaf = range.size();
            hasher.leafHashInto(value, off, H, leafHash, 0);
            int count = range.appendLeafHash(leafHash, 0, stored, 0);
            tiles.append(value, off, stored, count);
            index.put(leafHash, leaf);
        }
        if (pendingLeaves() >= maxLeaves || pending.size() >= maxBatches) {
            return cut(offset, appendTime);
        }
        return null;
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
