package io.tracemark.ingest.records;

import org.bson.Document;

import java.time.Instant;

/**
 * What a client learns about an accepted record: enough to find and verify it later.
 *
 * @param keys the record's index fields (e.g. gtin, lot, eventHashId, sha256, phash)
 */
public record StoredRecord(String id, String tenant, String type, String digest, String status,
                           Instant receivedAt, boolean duplicate, Document keys) {

    /** The same record marked as found again rather than newly stored. */
    public StoredRecord asDuplicate() {
        return new StoredRecord(id, tenant, type, digest, status, receivedAt, true, keys);
    }
}
