package io.tracemark.chain.log;

import io.tracemark.proofs.ledger.BlockHeader;

/**
 * The durable position of the log: everything up to {@code treeSize} leaves and {@code blocks}
 * blocks is on disk and was built from the leaves topic up to (excluding) {@code nextOffset}.
 *
 * @param nextOffset       leaves-topic offset to resume reading from
 * @param treeSize         leaves in the tree
 * @param blocks           number of sealed blocks (the next block's height)
 * @param blocksDataLength bytes of the block file covering those blocks
 * @param lastHeader       header of the last block, null before the first
 */
public record LogState(long nextOffset, long treeSize, long blocks, long blocksDataLength, BlockHeader lastHeader) {
    /** The state of a log that has read nothing. */
    public static final LogState EMPTY = new LogState(0, 0, 0, 0, null);
}
