package io.tracemark.ingest.http;

import io.tracemark.ingest.records.StoredRecord;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answer of every intake endpoint: the stored record's id, digest and status, and where to follow it.
 *
 * @param id         record id (ULID)
 * @param type       record type
 * @param digest     hex SHA-256 of the record's canonical envelope, the leaf the ledger logs
 * @param status     {@code accepted} until anchored
 * @param receivedAt when the record was first received
 * @param statusUrl  where to read the record and its anchoring status
 */
@Schema(name = "RecordAccepted", description = "A record stored and queued for anchoring.")
public record RecordAccepted(
        @Schema(required = true, pattern = "[0-9A-Z]{26}", example = "01JDX3K8Q9V5T2M4N6P8R0S1W3") String id,
        @Schema(required = true, enumeration = {"product.batch", "epcis.event", "media.work"}, example = "product.batch") String type,
        @Schema(required = true, pattern = "[0-9a-f]{64}",
                example = "9f2c4e0b7f1d6a3c5e8b2d4f6a8c0e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c") String digest,
        @Schema(required = true, enumeration = {"accepted", "anchored"}, example = "accepted") String status,
        @Schema(required = true, format = "date-time", example = "2026-12-03T09:00:00Z") String receivedAt,
        @Schema(required = true, example = "/v1/records/01JDX3K8Q9V5T2M4N6P8R0S1W3") String statusUrl) {

    /** The summary of a stored record. */
    public static RecordAccepted of(StoredRecord r) {
        return new RecordAccepted(r.id(), r.type(), r.digest(), r.status(), r.receivedAt().toString(), "/v1/records/" + r.id());
    }
}
