package io.tracemark.verify.anchoring;

import io.tracemark.contracts.blocks.BlockFacts;
import io.tracemark.proofs.ledger.BlockHeader;
import io.tracemark.verify.chain.ChainNodeClient;
import org.bson.Document;

import java.util.HexFormat;

/**
 * One document of attest's per-block facts ({@link BlockFacts}): the block header, its hash and the
 * checkpoint note of its tree size with every replica signature merged so far.
 */
public record SealedBlock(BlockHeader header, String hash, String checkpoint) {
    /** Block height. */
    public long height() {
        return header.height();
    }

    /** Whether the block sealed the leaf at {@code index}. */
    public boolean contains(long index) {
        return index >= header.firstLeafIndex() && index < header.treeSize();
    }

    /** Reads a {@code blocks} document; a document that is not one is a 503 problem, as an unreadable ledger is. */
    public static SealedBlock of(Document d) {
        try {
            HexFormat hex = HexFormat.of();
            BlockHeader header = new BlockHeader(number(d, BlockFacts.HEIGHT),
                    hex.parseHex(d.getString(BlockFacts.PREVIOUS_HASH)), number(d, BlockFacts.FIRST_LEAF_INDEX),
                    number(d, BlockFacts.LEAF_COUNT), number(d, BlockFacts.TREE_SIZE),
                    hex.parseHex(d.getString(BlockFacts.ROOT)), number(d, BlockFacts.TIME_MILLIS));
            String hash = d.getString(BlockFacts.HASH);
            String checkpoint = d.getString(BlockFacts.CHECKPOINT);
            if (checkpoint == null || hash != null && !hash.equalsIgnoreCase(hex.formatHex(header.hash()))) {
                throw new IllegalArgumentException("no checkpoint, or a hash that is not the header's");
            }
            return new SealedBlock(header, hash, checkpoint);
        } catch (RuntimeException e) {
            throw ChainNodeClient.unavailable("unreadable facts of block " + d.get(BlockFacts.HEIGHT));
        }
    }

    private static long number(Document d, String field) {
        return d.get(field, Number.class).longValue();
    }
}
