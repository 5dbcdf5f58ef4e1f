package io.tracemark.ingest.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import io.tracemark.edge.auth.CurrentTenant;
import io.tracemark.edge.auth.RequiresRole;
import io.tracemark.edge.auth.Role;
import io.tracemark.edge.problem.Problem;
import io.tracemark.ingest.http.IntakeResponses;
import io.tracemark.ingest.http.JsonBodies;
import io.tracemark.ingest.records.IntakeRequest;
import io.tracemark.ingest.records.RecordIntake;
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

import java.util.List;

/** Synchronous intake of one EPCIS 2.0 event (with its own {@code @context} if it uses prefixes). */
@Path("/v1/events")
@RequiresRole(Role.WRITE)
@Blocking
public class EpcisEventResource {
    @Inject
    RecordIntake intake;
    @Inject
    CurrentTenant tenant;
    @ConfigProperty(name = "tracemark.ingest.max-record-bytes")
    long maxBytes;

    /** Registers one event: 201, 200 for a retry, 409 for an event the tenant already has. */
    @POST
    @Consumes({MediaType.APPLICATION_JSON, "application/ld+json"})
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Register one EPCIS 2.0 event", description = "Computes the CBV 2.0 event hash ID; "
            + "an event without eventID gets it; an error declaration supersedes the event it names.")
    public Response register(@HeaderParam("Idempotency-Key") String idempotencyKey,
                             @QueryParam("visibility") String visibility, byte[] raw) {
        JsonBodies.checkIdempotencyKey(idempotencyKey);
        JsonNode body = JsonBodies.parse(raw, maxBytes);
        return IntakeResponses.of(intake.accept(tenant.tenant(),
                List.of(new IntakeRequest(EpcisEventType.NAME, idempotencyKey, body).withVisibility(visibility))).get(0));
    }
}
