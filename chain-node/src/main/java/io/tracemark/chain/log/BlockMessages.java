package io.tracemark.chain.log;

import io.tracemark.contracts.blocks.BlockMessage;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds the {@link BlockMessage} of a sealed block: the one definition of the block message (the
 * {@code contracts} module) that the chain node publishes on {@code tracemark.chain.blocks} and serves
 * at {@code /v1/blocks/{height}}, and that every reader decodes with the same codec.
 */
public final class BlockMessages {
    private BlockMessages() {
    }

    /** The message for {@code block}, carrying {@code checkpoint} signed by {@code signer}. */
    public static BlockMessage of(String origin, SealedBlock block, String checkpoint, String signer) {
        HexFormat hex = HexFormat.of();
        var h = block.header();
        List<BlockMessage.Batch> batches = new ArrayList<>(block.batches().size());
        for (Batch b : block.batches()) {
            batches.add(new BlockMessage.Batch(b.offset(), b.firstLeafIndex(), b.count(), b.skipped()));
        }
        return new BlockMessage(origin,
                new BlockMessage.Header(h.height(), hex.formatHex(h.previousHash()), h.firstLeafIndex(), h.leafCount(),
                        h.treeSize(), hex.formatHex(h.root()), h.timeMillis()),
                hex.formatHex(h.hash()), block.leavesFromOffset(), block.leavesToOffset(), batches, checkpoint, signer);
    }
}
