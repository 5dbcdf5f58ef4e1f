package io.tracemark.ingest.product;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.util.List;

/**
 * The published schema of {@code POST /v1/products/batches}. The endpoint reads the body's bytes strictly
 * (duplicate members refused) and {@link ProductBatchType} validates it with field-level errors; this
 * record only describes it for the OpenAPI document and generated clients.
 */
@Schema(name = "ProductBatch", description = "A product batch (lot) of one GTIN. Unknown members are refused.",
        additionalProperties = Schema.False.class)
public record ProductBatchInput(
        @Schema(required = true, description = "GTIN-8, -12, -13 or -14 with a valid check digit; stored as 14 digits",
                pattern = "^([0-9]{8}|[0-9]{12,14})$", example = "4006381333931") String gtin,
        @Schema(required = true, description = "Batch/lot number, 1 to 20 characters of GS1 AI 82",
                minLength = 1, maxLength = 20, example = "LOT-2026/11A") String lot,
        @Schema(description = "Positive quantity, at most 18 digits; needs unit", example = "1200") BigDecimal quantity,
        @Schema(description = "UN/ECE Recommendation 20 unit code", pattern = "^[A-Z0-9]{1,3}$", example = "H87") String unit,
        @Schema(format = "date", example = "2026-11-01") String productionDate,
        @Schema(format = "date", description = "Not before productionDate", example = "2027-11-01") String expiryDate,
        @Schema(description = "GLN of the producing facility (13 digits, GS1 check digit)", pattern = "^[0-9]{13}$",
                example = "4012345000009") String facilityGln,
        @Schema(description = "ISO 3166-1 alpha-2 country of origin", pattern = "^[A-Z]{2}$", example = "DE") String origin,
        @Schema(description = "Batches this one was made from (at most 1000)", maxItems = 1000) List<BatchRef> inputs,
        @Schema(description = "Certificates by name and file SHA-256 (at most 100)", maxItems = 100) List<CertificateRef> certificates,
        @Schema(maxLength = 2000, example = "Oat drink 1 l") String description) {

    /** Another batch, by GTIN and lot. */
    @Schema(name = "BatchRef")
    public record BatchRef(@Schema(required = true, example = "04006381333931") String gtin,
                           @Schema(required = true, example = "OATS-7") String lot) {
    }

    /** A certificate document, by name and the hex SHA-256 of its file. */
    @Schema(name = "CertificateRef")
    public record CertificateRef(@Schema(required = true, example = "EU organic") String name,
                                 @Schema(required = true, pattern = "^[0-9a-f]{64}$") String sha256) {
    }
}
