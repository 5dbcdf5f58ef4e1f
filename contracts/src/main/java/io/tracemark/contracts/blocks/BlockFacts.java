package io.tracemark.contracts.blocks;

/**
 * The per-block facts collection ({@code blocks} by default), written by attest once per block copy and
 * read by ingest and verify: one document per sealed block, {@code _id} = height. A record's anchoring
 * state is derived from it and the chain node's leaf index, never written per record.
 */
public final class BlockFacts {
    /** Default collection name. */
    public static final String COLLECTION = "blocks";
    /** Long: block height (the document id). */
    public static final String HEIGHT = "_id";
    /** String: hex hash of the previous header. */
    public static final String PREVIOUS_HASH = "previousHash";
    /** Long: index of the block's first leaf. */
    public static final String FIRST_LEAF_INDEX = "firstLeafIndex";
    /** Long: leaves in the block. */
    public static final String LEAF_COUNT = "leafCount";
    /** Long: tree size after the block. */
    public static final String TREE_SIZE = "treeSize";
    /** String: hex tree root after the block. */
    public static final String ROOT = "root";
    /** Long: broker append time of the closing record, epoch milliseconds. */
    public static final String TIME_MILLIS = "timeMillis";
    /** String: hex block hash. */
    public static final String HASH = "hash";
    /** String: the checkpoint's signed note with every replica signature seen so far merged in. */
    public static final String CHECKPOINT = "checkpoint";

    private BlockFacts() {
    }
}
