package io.tracemark.ingest.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import io.tracemark.edge.auth.CurrentTenant;
import io.tracemark.edge.auth.RequiresRole;
import io.tracemark.edge.auth.Role;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import io.tracemark.ingest.http.JsonBodies;
import io.tracemark.ingest.records.RecordIds;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import io.tracemark.contracts.http.ApiContractFilter;
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

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EPCIS 2.0 capture: a JSON-LD {@code EPCISDocument} is accepted as an asynchronous job (202 with
 * the job's Location), whose status shows running, done or failed and every event's outcome.
 *
 * @see <a href="https://ref.gs1.org/standards/epcis/">EPCIS 2.0 §12 REST binding: POST /capture, GET /capture/{captureID}</a>
 */
@Tag(name = "epcis")
@Path("/v1/epcis/capture")
@SecurityRequirement(name = ApiContractFilter.SECURITY_SCHEME)
@Blocking
public class EpcisCaptureResource {
    /** GS1 REST binding header choosing between all-or-nothing and best-effort capture. */
    public static final String ERROR_BEHAVIOUR = "GS1-Capture-Error-Behaviour";
    private static final String LD_JSON = "application/ld+json";

    @Inject
    CurrentTenant tenant;
    @Inject
    CaptureJobStore jobs;
    @Inject
    CaptureJobRunner runner;
    @ConfigProperty(name = "tracemark.ingest.epcis.max-capture-bytes")
    long maxBytes;
    @ConfigProperty(name = "tracemark.ingest.epcis.max-capture-events")
    int maxEvents;

    static final String EXAMPLE = "{\"@context\":[\"https://ref.gs1.org/standards/epcis/epcis-context.jsonld\"],"
            + "\"type\":\"EPCISDocument\",\"schemaVersion\":\"2.0\",\"creationDate\":\"2026-11-01T10:00:00Z\","
            + "\"epcisBody\":{\"eventList\":[" + EpcisEventResource.EXAMPLE + "]}}";

    /** Starts a capture job for an EPCIS document; 202 with Location of the job. */
    @POST
    @RequiresRole(Role.WRITE)
    @Consumes({MediaType.APPLICATION_JSON, LD_JSON})
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(operationId = "captureEpcisDocument", summary = "Capture an EPCIS 2.0 document",
            description = "Validates the document's shape now and its events in a job; each event gets its CBV 2.0 hash ID.")
    @APIResponse(responseCode = "202", description = "The capture job was created (or, for a retry, already exists)",
            headers = @Header(name = "Location", description = "The job's status URL", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EpcisSchemas.Accepted.class)))
    @APIResponse(responseCode = "409", description = "The Idempotency-Key was used for another document (type idempotency-conflict)")
    @APIResponse(responseCode = "413", description = "The document is over the byte or event limit (type payload-too-large)")
    @APIResponse(responseCode = "422", description = "Not an EPCIS document, or a bad header (type validation)")
    @APIResponse(responseCode = "503", description = "The job store is unavailable (type store-unavailable)",
            headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)))
    public Response capture(@Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, description = "1 to 200 printable ASCII characters; "
            + "a retry with the same key and body returns the first answer", example = "order-4711-batch-1")
            @HeaderParam("Idempotency-Key") String idempotencyKey,
                            @Parameter(name = ERROR_BEHAVIOUR, in = ParameterIn.HEADER, description = "GS1 capture error "
                                    + "behaviour: rollback (default, all or nothing) or proceed (best effort)",
                                    schema = @Schema(type = SchemaType.STRING, enumeration = {"rollback", "proceed"}, defaultValue = "rollback"))
                            @HeaderParam(ERROR_BEHAVIOUR) String behaviour,
                            @RequestBody(required = true, content = {
                                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EpcisSchemas.Document.class),
                                            examples = @ExampleObject(name = "document", value = EXAMPLE)),
                                    @Content(mediaType = LD_JSON, schema = @Schema(implementation = EpcisSchemas.Document.class))})
                            byte[] raw) {
        JsonBodies.checkIdempotencyKey(idempotencyKey);
        boolean rollback = behaviour == null || behaviour.equalsIgnoreCase("rollback");
        if (!rollback && !behaviour.equalsIgnoreCase("proceed")) {
            throw invalid("/headers/" + ERROR_BEHAVIOUR, "epcis.capture-error-behaviour", "rollback or proceed");
        }
        JsonNode doc = JsonBodies.parse(raw, maxBytes);
        if (!doc.isObject() || !"EPCISDocument".equals(doc.path("type").asText())) {
            throw invalid("/type", "epcis.document-type", "an EPCIS 2.0 capture body is a JSON-LD object of type EPCISDocument");
        }
        JsonNode eventList = doc.path("epcisBody").path("eventList");
        if (!eventList.isArray() || eventList.isEmpty()) {
            throw invalid("/epcisBody/eventList", "epcis.event-list", "epcisBody.eventList is a non-empty array of events");
        }
        if (eventList.size() > maxEvents) {
            throw new ProblemException(Problem.of("payload-too-large", 413, "Too many events in one capture")
                    .field("/epcisBody/eventList", "epcis.capture-limit", "at most " + maxEvents + " events per document")
                    .retriable(false).build());
        }
        String id = RecordIds.next();
        String requestHash = sha256(raw) + (rollback ? ":rollback" : ":proceed");
        Document job = new Document("_id", id).append("tenant", tenant.tenant())
                .append("idempotencyKey", idempotencyKey == null ? id : idempotencyKey)
                .append("requestHash", requestHash).append("state", CaptureJobStore.RUNNING)
                .append("createdAt", new Date()).append("eventCount", eventList.size())
                .append("captureErrorBehaviour", rollback ? "rollback" : "proceed");
        CaptureJobStore.Created created = jobs.create(job);
        if (created.existed()) {
            if (!requestHash.equals(created.job().getString("requestHash"))) {
                return Problem.of("idempotency-conflict", 409, "Idempotency-Key already used for a different request")
                        .instance(statusUrl(created.job().getString("_id"))).retriable(false).toResponse();
            }
            return accepted(created.job());
        }
        runner.submit(id, tenant.tenant(), EventHashIds.withContexts(doc.get("@context"), eventList), rollback);
        return accepted(job);
    }

    /** The state of a capture job and, once finished, each event's record or errors. */
    @GET
    @Path("/{id}")
    @RequiresRole(Role.READ)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getCaptureJob", summary = "A capture job's state",
            description = "running, done or failed; once finished, each event's record id or field errors.")
    @APIResponse(responseCode = "200", description = "The job",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EpcisSchemas.Job.class)))
    @APIResponse(responseCode = "404", description = "No such capture job for this tenant (type not-found)")
    public Map<String, Object> status(@PathParam("id") String id) {
        Document j = jobs.find(tenant.tenant(), id).orElseThrow(() -> new ProblemException(
                Problem.of("not-found", 404, "No such capture job").detail("No capture " + id + " for this tenant.").build()));
        Map<String, Object> m = new LinkedHashMap<>();
        String state = j.getString("state");
        List<?> errors = j.getList("errors", Document.class, List.of());
        m.put("captureID", j.getString("_id"));
        m.put("state", state);
        m.put("running", CaptureJobStore.RUNNING.equals(state));
        m.put("success", CaptureJobStore.DONE.equals(state) && errors.isEmpty());
        m.put("captureErrorBehaviour", j.getString("captureErrorBehaviour"));
        m.put("createdAt", j.getDate("createdAt").toInstant().toString());
        m.put("finishedAt", j.getDate("finishedAt") == null ? null : j.getDate("finishedAt").toInstant().toString());
        m.put("eventCount", j.getInteger("eventCount"));
        m.put("events", j.getList("events", Document.class, List.of()));
        m.put("errors", errors);
        if (j.getString("failure") != null) {
            m.put("failure", j.getString("failure"));
        }
        return m;
    }

    private static Response accepted(Document job) {
        String id = job.getString("_id");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("captureID", id);
        body.put("state", job.getString("state"));
        body.put("statusUrl", statusUrl(id));
        return Response.status(202).location(URI.create(statusUrl(id))).entity(body).build();
    }

    private static String statusUrl(String id) {
        return "/v1/epcis/capture/" + id;
    }

    private static ProblemException invalid(String pointer, String code, String detail) {
        return new ProblemException(Problem.of("validation", 422, "EPCIS document is invalid")
                .field(pointer, code, detail).retriable(false).build());
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
