package io.tracemark.ingest.product;

import io.smallrye.common.annotation.Blocking;
import io.tracemark.edge.auth.CurrentTenant;
import io.tracemark.edge.auth.RequiresRole;
import io.tracemark.edge.auth.Role;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import io.tracemark.contracts.http.ApiContractFilter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;


/** A tenant's view of a batch's lineage: the batches it was made from, and those made from it. */
@Tag(name = "products")
@Path("/v1/products/batches/{gtin}/{lot: .+}/lineage")
@RequiresRole(Role.READ)
@SecurityRequirement(name = ApiContractFilter.SECURITY_SCHEME)
@Blocking
public class LineageResource {
    @Inject
    BatchLineage lineage;
    @Inject
    CurrentTenant tenant;

    /** Ancestors and descendants of a batch, each with its generation distance and record ids. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getBatchLineage", summary = "A batch's lineage",
            description = "The batches it was made from and those made from it, each with its generation distance and record ids.")
    @APIResponse(responseCode = "200", description = "The lineage",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LineageView.class)))
    @APIResponse(responseCode = "404", description = "No such batch for this tenant (type not-found)")
    @APIResponse(responseCode = "422", description = "The GTIN or lot is invalid (type validation)")
    public LineageView get(@Parameter(example = "04006381333931") @PathParam("gtin") String gtin,
                                   @Parameter(example = "LOT-2026/11A") @PathParam("lot") String lot) {
        String g;
        try {
            g = Gs1.normaliseGtin(gtin);
        } catch (IllegalArgumentException e) {
            String[] parts = e.getMessage().split(": ", 2);
            throw new ProblemException(Problem.of("validation", 422, "Batch identity is invalid")
                    .field("/path/gtin", parts[0], parts[1]).retriable(false).build());
        }
        if (!Gs1.isValidLot(lot)) {
            throw new ProblemException(Problem.of("validation", 422, "Batch identity is invalid")
                    .field("/path/lot", "lot.invalid", "lot is 1 to 20 characters from the GS1 AI 82 character set")
                    .retriable(false).build());
        }
        BatchLineage.Lineage l = lineage.of(tenant.tenant(), new BatchLineage.Node(g, lot));
        if (l.recordIds().isEmpty() && l.descendants().isEmpty()) {
            throw new ProblemException(Problem.of("not-found", 404, "No such batch")
                    .detail("No batch " + g + " lot " + lot + " for this tenant.").build());
        }
        return new LineageView(g, lot, l.recordIds(), l.ancestors(), l.descendants(), l.truncated());
    }
}
