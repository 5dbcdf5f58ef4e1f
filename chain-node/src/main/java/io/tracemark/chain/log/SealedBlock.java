package io.tracemark.chain.log;

import io.tracemark.proofs.ledger.BlockHeader;
import java.util.List;

/**
 * A block as cut by the apply loop (docs/ledger.md): its hash-chained header and
 * the leaves-topic records it covers.
 *
 * @param header           the block header
 * @param leavesFromOffset topic offset of the first record applied into the block
 * @param leavesToOffset   topic offset of the record that closed it
 * @param batches          every leaf-batch record of the block, in topic order
 */
public record SealedBlock(BlockHeader header, long leavesFromOffset, long leavesToOffset, List<Batch> batches) {
    public SealedBlock {
        batches = List.copyOf(batches);
    }

    /** The topic offset to resume from once this block is durable. */
    public long nextOffset() {
        return leavesToOffset + 1;
    }
}
