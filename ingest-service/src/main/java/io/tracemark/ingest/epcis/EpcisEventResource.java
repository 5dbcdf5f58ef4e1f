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
import io.tracemark.contracts.http.ApiContractFilter;
import io.tracemark.ingest.http.RecordAccepted;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.util.List;

/** Synchronous intake of one EPCIS 2.0 event (with its own {@code @context} if it uses prefixes). */
@Tag(name = "epcis", description = "EPCIS 2.0 events and capture")
@Path("/v1/events")
@RequiresRole(Role.WRITE)
@SecurityRequirement(name = ApiContractFilter.SECURITY_SCHEME)
@Blocking
public class EpcisEventResource {
    @Inject
    RecordIntake intake;
    @Inject
    CurrentTenant tenant;
    @ConfigProperty(name = "tracemark.ingest.max-record-bytes")
    long maxBytes;

    static final String EXAMPLE = "{\"type\":\"ObjectEvent\",\"eventTime\":\"2026-11-01T09:00:00Z\","
            + "\"eventTimeZoneOffset\":\"+01:00\",\"epcList\":[\"urn:epc:id:sgtin:4006381.033393.1\"],"
            + "\"action\":\"ADD\",\"bizStep\":\"commissioning\"}";

    /** Registers one event: 201, 200 for a retry, 409 for an event the tenant already has. */
    @POST
    @Consumes({MediaType.APPLICATION_JSON, "application/ld+json"})
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(operationId = "registerEpcisEvent", summary = "Register one EPCIS 2.0 event", description = "Computes the CBV 2.0 event hash ID; "
            + "an event without eventID gets it; an error declaration supersedes the event it names.")
    @APIResponse(responseCode = "201", description = "Stored and queued for anchoring; Location is the record",
            headers = @Header(name = "Location", description = "The record's status URL", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RecordAccepted.class)))
    @APIResponse(responseCode = "200", description = "A retry with the same Idempotency-Key: the record stored the first time",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RecordAccepted.class)))
    @APIResponse(responseCode = "409", description = "The Idempotency-Key was used for another body (type idempotency-conflict), "
            + "or the tenant already has this record (type duplicate-record, with the record as member 'existing')")
    @APIResponse(responseCode = "422", description = "The record is invalid (type validation), with field-level errors")
    @APIResponse(responseCode = "503", description = "The record store is unavailable (type store-unavailable); retry after "
            + "Retry-After with the same Idempotency-Key",
            headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)))
    public Response register(@Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, description = "1 to 200 printable ASCII characters; "
            + "a retry with the same key and body returns the first answer", example = "order-4711-batch-1")
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @Parameter(name = "visibility", in = ParameterIn.QUERY, description = "public or private: whether the public "
                    + "API shows the record's canonical text and salt (the type's default when absent)", example = "public")
            @QueryParam("visibility") String visibility,
            @RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EpcisSchemas.Event.class),
                            examples = @ExampleObject(name = "commissioning", value = EXAMPLE)),
                    @Content(mediaType = "application/ld+json", schema = @Schema(implementation = EpcisSchemas.Event.class))})
            byte[] raw) {
        JsonBodies.checkIdempotencyKey(idempotencyKey);
        JsonNode body = JsonBodies.parse(raw, maxBytes);
        return IntakeResponses.of(intake.accept(tenant.tenant(),
                List.of(new IntakeRequest(EpcisEventType.NAME, idempotencyKey, body).withVisibility(visibility))).get(0));
    }
}
