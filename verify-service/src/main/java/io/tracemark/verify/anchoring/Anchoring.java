package io.tracemark.verify.anchoring;

import java.time.Instant;

/**
 * Where and when a record was anchored: its leaf index, the block that first included it, that block's
 * tree size and its time. None of it changes once true, so it is safe to cache.
 */
public record Anchoring(long leafIndex, long blockHeight, long treeSize, Instant anchoredAt) {
}
