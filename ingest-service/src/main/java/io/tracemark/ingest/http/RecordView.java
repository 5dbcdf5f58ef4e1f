package io.tracemark.ingest.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tracemark.ingest.anchor.AnchoringStatus;
import io.tracemark.contracts.http.ApiContractFilter;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * A tenant's record as {@code GET /v1/records/{id}} answers it.
 *
 * @param id             record id
 * @param type           record type
 * @param digest         hex SHA-256 of {@code canonical}
 * @param status         {@code accepted} or {@code anchored}
 * @param statusSource   whether the ledger answered ({@code ledger}) or the store alone did
 * @param anchoring      where the record's leaf is, once anchored
 * @param receivedAt     when the record was received
 * @param salt           the per-record salt inside the canonical envelope
 * @param canonical      the canonical envelope whose SHA-256 is the digest
 * @param idempotencyKey the key the record was submitted with, if any
 * @param keys           the record's index keys (e.g. gtin and lot)
 * @param supersededBy   for EPCIS events: the error declarations that supersede it
 */
@Schema(name = "RecordView", description = "A tenant's own record with its canonical bytes and anchoring status.")
public record RecordView(
        @Schema(required = true) String id,
        @Schema(required = true, example = "product.batch") String type,
        @Schema(required = true, pattern = "^[0-9a-f]{64}$") String digest,
        @Schema(required = true, enumeration = {"accepted", "anchored"}) String status,
        @Schema(required = true, example = "ledger") String statusSource,
        @Schema(description = "Where the leaf is, once anchored; null before",
                extensions = @Extension(name = ApiContractFilter.NULLABLE, value = "true")) AnchoringStatus.Anchoring anchoring,
        @Schema(required = true, format = "date-time") String receivedAt,
        @Schema(nullable = true) String salt,
        @Schema(nullable = true, description = "null once the record was erased") String canonical,
        @Schema(nullable = true) String idempotencyKey,
        @Schema(nullable = true) Map<String, Object> keys,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> supersededBy) {

    /** This view with the error declarations that supersede the record. */
    public RecordView withSupersededBy(List<String> ids) {
        return new RecordView(id, type, digest, status, statusSource, anchoring, receivedAt, salt, canonical,
                idempotencyKey, keys, ids);
    }
}
