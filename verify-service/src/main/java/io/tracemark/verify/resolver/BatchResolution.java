package io.tracemark.verify.resolver;

import io.tracemark.verify.records.RegistrationView;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * The published shape of a Digital Link resolution in JSON, as {@link BatchView#resolve} writes it, for the
 * OpenAPI document and generated clients.
 *
 * @param digitalLink   the canonical Digital Link URI
 * @param gtin          GTIN-14
 * @param lot           lot
 * @param serial        serial, for an item link
 * @param product       the batch record's payload, if the batch is registered
 * @param registrations the batch's registrations with their proof badge
 * @param lineage       links to input and output batches
 * @param events        the EPCIS events naming the batch (or item), in event time order
 */
@Schema(name = "BatchResolution")
public record BatchResolution(@Schema(required = true, example = "https://id.example.com/01/04006381333931/10/LOT-2026%2F11A") String digitalLink,
                              @Schema(required = true, example = "04006381333931") String gtin,
                              @Schema(required = true, example = "LOT-2026/11A") String lot,
                              @Schema(nullable = true) String serial,
                              @Schema(nullable = true, description = "The product batch as registered") Map<String, Object> product,
                              @Schema(required = true) List<Step> registrations,
                              @Schema(required = true) Lineage lineage,
                              @Schema(required = true) List<Step> events) {

    /** One registration in the history, with its proof badge; events add their time, step and type. */
    @Schema(name = "ResolutionStep", description = "A Registration (without its keys), with its proof badge")
    public record Step(@Schema(required = true) String recordId,
                       @Schema(required = true, example = "alice") String tenant,
                       @Schema(required = true, example = "media.work") String type,
                       @Schema(required = true, pattern = "^[0-9a-f]{64}$") String digest,
                       @Schema(required = true, format = "date-time") String receivedAt,
                       @Schema(required = true) RegistrationView.Anchor anchor,
                       String receiptUrl,
                       @Schema(required = true, enumeration = {"anchored", "pending"}) String proof,
                       @Schema(nullable = true) String eventTime, @Schema(nullable = true) String bizStep,
                       @Schema(nullable = true) String eventType,
                       @Schema(format = "date-time") String erasedAt,
                       @Schema(required = true, enumeration = {"public", "private", "erased"}) String content,
                       @Schema(description = "false when the registrant named a GTIN outside its declared GS1 Company Prefixes")
                       Boolean brandOwner,
                       @Schema(nullable = true, description = "the registration this one amends") String supersedes,
                       @Schema(nullable = true, description = "the registration that amends this one") String supersededBy,
                       @Schema(description = "whether the page shows this registration's facts") Boolean current,
                       @Schema(example = "Registered by alice") String label) {
    }

    /** Batches this one was made from and batches made from it. */
    @Schema(name = "ResolutionLineage")
    public record Lineage(@Schema(required = true) List<Link> inputs, @Schema(required = true) List<Link> outputs) {
    }

    /** A linked batch. */
    @Schema(name = "ResolutionLink")
    public record Link(@Schema(required = true) String gtin, @Schema(required = true) String lot,
                       @Schema(required = true) String digitalLink, Boolean registered,
                       @Schema(nullable = true) String recordId) {
    }
}
