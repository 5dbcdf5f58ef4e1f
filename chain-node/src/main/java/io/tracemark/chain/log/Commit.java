package io.tracemark.chain.log;

/**
 * A block handed from the apply loop to the sealer, with the log state that becomes durable with it.
 *
 * @param block the block
 * @param state the log state right after the block
 */
public record Commit(SealedBlock block, LogState state) {
}
