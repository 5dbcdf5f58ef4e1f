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
 * @param visibility     {@code public} or {@code private}: whether the public API shows the content
 * @param salt           the per-record salt inside the canonical envelope (null once erased)
 * @param canonical      the canonical envelope whose SHA-256 is the digest (null once erased)
 * @param erased         the tombstone, once the content was erased
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
        @Schema(enumeration = {"public", "private"}, nullable = true) String visibility,
        @Schema(nullable = true) String salt,
        @Schema(nullable = true, description = "null once the record was erased") String canonical,
        @JsonInclude(JsonInclude.Include.NON_NULL) Erased erased,
        @Schema(nullable = true) String idempotencyKey,
        @Schema(nullable = true) Map<String, Object> keys,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> supersededBy) {

    /** This view with the error declarations that supersede the record. */
    public RecordView withSupersededBy(List<String> ids) {
        return new RecordView(id, type, digest, status, statusSource, anchoring, receivedAt, visibility, salt, canonical,
                erased, idempotencyKey, keys, ids);
    }

    /** Who erased the record's content, and when. */
    @Schema(name = "RecordErased", description = "Tombstone of an erased record's content")
    public record Erased(@Schema(required = true, format = "date-time") String erasedAt,
                         @Schema(required = true, description = "id of the API key that erased it") String erasedBy) {
    }
}
