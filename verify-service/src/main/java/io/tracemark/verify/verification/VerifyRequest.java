package io.tracemark.verify.verification;

import io.tracemark.proofs.receipt.Receipt;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/**
 * The published schema of {@code POST /v1/verify}. {@link VerifyResource} reads the body as a JSON tree so
 * that it can name every unknown or conflicting member in its problem; this record describes it for the
 * OpenAPI document and generated clients.
 *
 * @param receipt    a receipt as served by {@code GET /v1/receipts/{id}}; or give recordId
 * @param recordId   the record whose current receipt is verified; or give receipt
 * @param record     the caller's copy of the record JSON, canonicalised here and compared
 * @param canonical  the caller's canonical record text, compared byte for byte
 * @param file       the caller's file (base64), hashed and compared with a media work's sha256
 * @param fileSha256 the caller's file SHA-256 (hex), compared with a media work's sha256
 */
@Schema(name = "VerifyRequest", description = "Exactly one of receipt or recordId; at most one of record/canonical and "
        + "one of file/fileSha256. Unknown members are refused.", additionalProperties = Schema.False.class)
public record VerifyRequest(
        @Schema(implementation = Receipt.class) Receipt receipt,
        @Schema(pattern = "^[0-9A-Z]{26}$", example = "01JDX3K8Q9V5T2M4N6P8R0S1W3") String recordId,
        @Schema(description = "The record JSON as registered") Map<String, Object> record,
        String canonical,
        @Schema(format = "byte") String file,
        @Schema(pattern = "^[0-9a-fA-F]{64}$") String fileSha256) {
}
