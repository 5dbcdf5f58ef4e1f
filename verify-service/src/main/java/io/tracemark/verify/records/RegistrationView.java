package io.tracemark.verify.records;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * The published shape of a registration as {@link Registration#toJson()} writes it, for the OpenAPI document
 * and generated clients.
 *
 * @param recordId   record id
 * @param tenant     registrant
 * @param type       record type
 * @param digest     hex SHA-256 of the canonical record
 * @param receivedAt when ingest accepted it
 * @param keys       the record's index keys
 * @param anchor     its anchoring state
 * @param receiptUrl where its receipt is, once anchored
 * @param canonical  the canonical record (single-record lookups only, when its content is public)
 * @param erasedAt   when its registrant erased its content, if they did
 * @param content    what the public may read of its content: public, private or erased
 */
@Schema(name = "Registration")
public record RegistrationView(@Schema(required = true) String recordId,
                               @Schema(required = true, example = "alice") String tenant,
                               @Schema(required = true, example = "media.work") String type,
                               @Schema(required = true, pattern = "^[0-9a-f]{64}$") String digest,
                               @Schema(required = true, format = "date-time") String receivedAt,
                               Map<String, Object> keys,
                               @Schema(required = true) Anchor anchor,
                               @Schema(example = "/v1/receipts/01JDX3K8Q9V5T2M4N6P8R0S1W3") String receiptUrl,
                               @Schema(nullable = true) String canonical,
                               @Schema(format = "date-time") String erasedAt,
                               @Schema(required = true, enumeration = {"public", "private", "erased"}) String content) {

    /** Anchoring state; the position only once anchored. */
    @Schema(name = "RegistrationAnchor")
    public record Anchor(@Schema(required = true, enumeration = {"accepted", "anchored"}) String state,
                         @Schema(format = "date-time") String anchoredAt,
                         Long leafIndex, Long blockHeight, Long treeSize) {
    }

    /** Every registration of one SHA-256. */
    @Schema(name = "RegistrationList")
    public record ListView(@Schema(required = true, pattern = "^[0-9a-f]{64}$") String sha256,
                           @Schema(required = true) List<RegistrationView> registrations) {
    }
}
