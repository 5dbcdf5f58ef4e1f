package io.tracemark.chain.log;

/**
 * One leaf-batch record of a block: where it sits in the leaves topic and which leaves it became.
 *
 * @param offset         topic offset of the record
 * @param firstLeafIndex index of its first leaf in the tree
 * @param count          number of leaves (digests) in it
 */
public record Batch(long offset, long firstLeafIndex, int count) {
}
