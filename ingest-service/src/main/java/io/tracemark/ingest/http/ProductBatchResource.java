package io.tracemark.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracemark.edge.auth.CurrentTenant;
import io.tracemark.edge.auth.RequiresRole;
import io.tracemark.edge.auth.Role;
import io.tracemark.edge.problem.Problem;
import io.tracemark.ingest.product.ProductBatchType;
import io.tracemark.ingest.records.IntakeRequest;
import io.tracemark.ingest.records.RecordIntake;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.util.List;

/** HTTP intake of product batches. */
@Path("/v1/products/batches")
@RequiresRole(Role.WRITE)
@Blocking
public class ProductBatchResource {
    @Inject
    RecordIntake intake;
    @Inject
    CurrentTenant tenant;
    @ConfigProperty(name = "tracemark.ingest.max-record-bytes")
    long maxBytes;

    /** Registers one product batch; safe to retry with the same {@code Idempotency-Key}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Register a product batch",
            description = "Validates (GTIN check digit, lot characters, dates, GLN), canonicalises and stores the batch, then queues it for anchoring.")
    @SecurityRequirement(name = "apiKey")
    public Response register(@HeaderParam("Idempotency-Key") String idempotencyKey,
                             @QueryParam("visibility") String visibility, byte[] raw) {
        JsonBodies.checkIdempotencyKey(idempotencyKey);
        JsonNode body = JsonBodies.parse(raw, maxBytes);
        var result = intake.accept(tenant.tenant(),
                List.of(new IntakeRequest(ProductBatchType.NAME, idempotencyKey, body).withVisibility(visibility))).get(0);
        return IntakeResponses.of(result);
    }
}
