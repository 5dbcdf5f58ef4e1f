package io.tracemark.ingest.product;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * A batch's lineage as {@code GET /v1/products/batches/{gtin}/{lot}/lineage} answers it.
 *
 * @param gtin        the batch's GTIN-14
 * @param lot         the batch's lot
 * @param recordIds   the records that registered the batch
 * @param ancestors   batches it was made from, nearest first
 * @param descendants batches made from it, nearest first
 * @param truncated   whether a depth or size bound was hit
 */
@Schema(name = "Lineage")
public record LineageView(@Schema(required = true) String gtin, @Schema(required = true) String lot,
                          @Schema(required = true) List<String> recordIds,
                          @Schema(required = true) List<BatchLineage.Found> ancestors,
                          @Schema(required = true) List<BatchLineage.Found> descendants,
                          @Schema(required = true) boolean truncated) {
}
