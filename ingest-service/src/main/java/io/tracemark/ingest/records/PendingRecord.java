package io.tracemark.ingest.records;

import org.bson.Document;

/**
 * A validated record about to be stored.
 *
 * @param idempotencyKey the client's key; retries with the same key and body get the same record
 * @param requestHash    hash of what the client sent, to tell a retry from a different request
 * @param naturalKey     unique per tenant; defaults to the record id when the type has none
 * @param visibility     {@code public} or {@code private} (io.tracemark.contracts.records.RecordContent)
 */
public record PendingRecord(Envelope envelope, String idempotencyKey, String requestHash, Document indexFields,
                            String naturalKey, String visibility) {
}
