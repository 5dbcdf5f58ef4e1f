package io.tracemark.chain.http;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The OpenAPI description of a leaf lookup's 404 answer: an RFC 9457 problem ({@code not-present}) extended with the
 * tree it covers and this replica's signed statement that no leaf of that tree has the hash (docs/absence.md). Never
 * built: the body is the contracts' {@link io.tracemark.contracts.ledger.LeafAbsence}, written by
 * {@link io.tracemark.contracts.ledger.LeafAbsenceCodec}.
 */
@Schema(name = "LeafAbsence", description = "Problem details (type not-present) with a signed statement of absence")
public record LeafAbsenceProblem(@Schema(required = true) String type,
                          @Schema(required = true) String title,
                          @Schema(required = true) int status,
                          String detail,
                          String instance,
                          @Schema(required = true) boolean retriable,
                          @Schema(required = true, description = "Leaves of the tree the statement covers") long treeSize,
                          @Schema(required = true, description = "RFC 9162 root of that tree, base64") String root,
                          @Schema(required = true, description = "C2SP signed note: the absence statement "
                                  + "(tracemark.dev/leaf-absence/v1) signed by this replica's checkpoint key") String absence) {
}
