package io.tracemark.chain.log;

import java.util.List;

/**
 * One leaf-batch record of a block: where it sits in the leaves topic and which leaves it became.
 *
 * <p>The ledger appends each leaf hash once (docs/ledger.md; RFC 9162 §2.1 leaves
 * the log free to decide what it accepts): a digest whose leaf hash is already in the tree, or came
 * earlier in the same record, is not appended again and its position is listed in {@code skipped}.
 * A republished anchor request therefore never becomes a second leaf, identically on every replica.
 *
 * @param offset         topic offset of the record
 * @param firstLeafIndex index of its first appended leaf in the tree (the tree size before the
 *                       record, which is also that index when nothing was appended)
 * @param count          number of leaves appended from it: its digests less the skipped ones
 * @param skipped        0-based positions in the record whose digest was not appended, ascending
 */
public record Batch(long offset, long firstLeafIndex, int count, List<Integer> skipped) {
    public Batch {
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
        if (count < 0) {
            throw new IllegalArgumentException("negative leaf count " + count);
        }
        int previous = -1;
        for (int p : skipped) {
            if (p <= previous) {
                throw new IllegalArgumentException("skipped positions must ascend from 0: " + skipped);
            }
            previous = p;
        }
    }

    /** A batch all of whose digests were appended. */
    public Batch(long offset, long firstLeafIndex, int count) {
        this(offset, firstLeafIndex, count, List.of());
    }

    /** Number of digests the record carried: appended plus skipped. */
    public int digests() {
        return count + skipped.size();
    }
}
