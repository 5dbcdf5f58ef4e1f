package io.tracemark.attest.receipts;

import io.tracemark.contracts.ledger.BatchedRecord;

/**
 * A record whose leaf a sealed block appended.
 *
 * @param record    who the leaf belongs to (from the leaf batch's header)
 * @param digestHex the record digest (the leaf data)
 * @param leafIndex its index in the tree
 * @param batchedAtMillis Kafka timestamp of its leaf batch (when the ledger step published it), epoch ms
 */
public record AnchoredRecord(BatchedRecord record, String digestHex, long leafIndex, long batchedAtMillis) {
}
