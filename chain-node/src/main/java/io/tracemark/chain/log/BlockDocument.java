package io.tracemark.chain.log;

import java.util.HexFormat;
import java.util.List;

/**
 * The JSON form of a sealed block, as published on {@code tracemark.chain.blocks} (key = height)
 * and served at {@code /v1/blocks/{height}}.
 *
 * @param origin           checkpoint origin
 * @param header           the hash-chained header
 * @param blockHash        SHA-256 of the encoded header, hex
 * @param leavesFromOffset first leaves-topic offset of the block's range
 * @param leavesToOffset   offset of the record that closed the block
 * @param batches          every leaf-batch record in the block
 * @param checkpoint       signed note of the checkpoint at the block's tree size
 * @param signer           key name of the publishing replica
 */
public record BlockDocument(String origin, Header header, String blockHash, long leavesFromOffset,
                            long leavesToOffset, List<Batch> batches, String checkpoint, String signer) {

    /**
     * Header fields, hashes in hex.
     *
     * @param height         block height
     * @param previousHash   hash of the previous header
     * @param firstLeafIndex index of the first leaf
     * @param leafCount      leaves in the block
     * @param treeSize       tree size after the block
     * @param root           tree root after the block
     * @param timeMillis     broker append time of the closing record
     */
    public record Header(long height, String previousHash, long firstLeafIndex, long leafCount, long treeSize,
                         String root, long timeMillis) {
    }

    /** Builds the document for {@code block}. */
    public static BlockDocument of(String origin, SealedBlock block, String checkpoint, String signer) {
        HexFormat hex = HexFormat.of();
        var h = block.header();
        return new BlockDocument(origin,
                new Header(h.height(), hex.formatHex(h.previousHash()), h.firstLeafIndex(), h.leafCount(), h.treeSize(),
                        hex.formatHex(h.root()), h.timeMillis()),
                hex.formatHex(h.hash()), block.leavesFromOffset(), block.leavesToOffset(), block.batches(), checkpoint,
                signer);
    }
}
