package io.tracemark.contracts.ledger;

/**
 * The chain node's answer to {@code GET /v1/leaves?hash=<record digest or leaf hash>}: where the ledger holds
 * a leaf. Read by ingest and verify to derive a record's anchoring state (with the per-block facts).
 *
 * @param index       the leaf index
 * @param blockHeight the height of the sealed block holding it; {@code null} only from a chain node that does
 *                    not say, which readers must treat as "not sealed yet"
 */
public record LeafPosition(long index, Long blockHeight) {
}
