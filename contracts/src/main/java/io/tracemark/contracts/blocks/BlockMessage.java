package io.tracemark.contracts.blocks;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.OptionalLong;

/**
 * A sealed block as every chain-node replica publishes it on {@code tracemark.chain.blocks} (key = height
 * in decimal) and serves it at {@code /v1/blocks/{height}}. Each replica publishes its own copy carrying its
 * own checkpoint signature; the copies agree on everything else.
 *
 * @param origin           checkpoint origin (C2SP tlog-checkpoint)
 * @param header           the hash-chained header
 * @param blockHash        SHA-256 of the encoded header, hex
 * @param leavesFromOffset first leaves-topic offset of the block's range
 * @param leavesToOffset   offset of the record that closed it
 * @param batches          every leaf-batch record in the block, in topic order
 * @param checkpoint       the signed note of the checkpoint at the block's tree size
 * @param signer           key name of the publishing replica
 */
public record BlockMessage(String origin, Header header, String blockHash, long leavesFromOffset, long leavesToOffset,
                           List<Batch> batches, String checkpoint, String signer) {
    public BlockMessage {
        batches = batches == null ? List.of() : List.copyOf(batches);
    }

    /**
     * Header fields, hashes in hex.
     *
     * @param height         block height
     * @param previousHash   hash of the previous header
     * @param firstLeafIndex index of the block's first leaf
     * @param leafCount      leaves in the block
     * @param treeSize       tree size after the block
     * @param root           tree root after the block
     * @param timeMillis     broker append time of the closing record
     */
    public record Header(long height, String previousHash, long firstLeafIndex, long leafCount, long treeSize,
                         String root, long timeMillis) {
    }

    /**
     * One leaf-batch record of the block.
     *
     * @param offset         its leaves-topic offset
     * @param firstLeafIndex index of its first appended leaf
     * @param count          leaves appended from it (its digests less the skipped ones)
     * @param skipped        positions in the record whose digest was already a leaf of the tree (or earlier
     *                       in the same record), ascending; the ledger appends each digest once
     */
    public record Batch(long offset, long firstLeafIndex, int count,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Integer> skipped) {
        public Batch {
            skipped = skipped == null ? List.of() : List.copyOf(skipped);
            if (offset < 0 || firstLeafIndex < 0 || count < 0) {
                throw new IllegalArgumentException("a batch's offset, first leaf index and count are not negative");
            }
            for (int i = 0; i < skipped.size(); i++) {
                if (skipped.get(i) < 0 || i > 0 && skipped.get(i) <= skipped.get(i - 1)) {
                    throw new IllegalArgumentException("skipped positions are ascending and not negative: " + skipped);
                }
            }
        }

        /** A batch none of whose digests was skipped. */
        public Batch(long offset, long firstLeafIndex, int count) {
            this(offset, firstLeafIndex, count, List.of());
        }

        /**
         * The leaf index of the digest at {@code position} in the record, or empty if it was skipped or the
         * position is beyond the record's digests ({@code count} + skipped).
         */
        public OptionalLong leafIndexOf(int position) {
            if (position < 0 || position >= count + skipped.size()) {
                return OptionalLong.empty();
            }
            int before = 0;
            for (int s : skipped) {
                if (s == position) {
                    return OptionalLong.empty();
                }
                if (s < position) {
                    before++;
                }
            }
            return OptionalLong.of(firstLeafIndex + position - before);
        }
    }
}
