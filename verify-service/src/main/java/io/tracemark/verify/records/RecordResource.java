package io.tracemark.verify.records;

import io.smallrye.common.annotation.Blocking;
import io.tracemark.contracts.records.RecordContent;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import io.tracemark.verify.receipts.RecordIds;
import io.tracemark.verify.receipts.RecordsView;
import io.tracemark.verify.claims.WorkIndexFeed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bson.Document;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;

import java.util.List;
import java.util.Map;

/** Public record lookup: one record, or every registration of a SHA-256 across tenants. */
@Tag(name = "records", description = "Public registrations")
@Path("/v1/records")
@Blocking
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class RecordResource {
    @Inject
    RecordsView view;
    @Inject
    Registrations registrations;
    @Inject
    WorkIndexFeed works;

    /** A record's registration: registrant, times, anchoring state and, when its content is public, index keys and canonical form. */
    @GET
    @Path("/{id}")
    @Operation(operationId = "getRegistration", summary = "A registered record", description = "Registrant, receipt and anchor times, index keys, "
            + "canonical record and anchoring state.")
    @APIResponse(responseCode = "200", description = "The registration with its canonical record",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RegistrationView.class)))
    @APIResponse(responseCode = "404", description = "No such record (type not-found)")
    public Response record(@Parameter(example = "01JDX3K8Q9V5T2M4N6P8R0S1W3") @PathParam("id") String id) {
        if (!RecordIds.isValid(id)) {
            throw RecordIds.notFound();
        }
        Document record = view.record(id).orElseThrow(RecordIds::notFound);
        Registration r = registrations.of(record);
        Map<String, Object> body = r.toJson();
        if (r.contentPublic()) {
            body.put("canonical", record.getString(RecordContent.CANONICAL));
        }
        // Its anchoring moves forward once; public content may still be erased, so caches keep it five minutes.
        String cache = !r.anchored() ? "public, max-age=2" : r.contentPublic() ? "public, max-age=300" : "public, max-age=86400";
        return Response.ok(body).header("Cache-Control", cache).build();
    }

    /** Every registration of a file SHA-256 or record digest, across tenants, oldest anchored first. */
    @GET
    @Operation(operationId = "findRegistrationsBySha256", summary = "Registrations of a SHA-256", description = "Every record whose file SHA-256 or record "
            + "digest is the given hex, across tenants; anchored ones first in anchor order, then accepted ones.")
    @APIResponse(responseCode = "200", description = "Every registration, oldest anchored first (possibly none)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RegistrationView.ListView.class)))
    @APIResponse(responseCode = "400", description = "sha256 is not 64 hex digits (type validation)")
    @APIResponse(responseCode = "503", description = "The index of registered works is being built (type claims-index-loading); "
            + "retry after Retry-After", headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)))
    public Response bySha256(@Parameter(required = true, description = "File SHA-256 or record digest, hex",
            example = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b") @QueryParam("sha256") String sha256) {
        if (sha256 == null || !sha256.matches("[0-9a-fA-F]{64}")) {
            throw new ProblemException(Problem.of("validation", 400, "Invalid query")
                    .field("/sha256", "sha256.invalid", "sha256 is 64 hex digits").retriable(false).build());
        }
        List<Registration> regs = registrations.load(view.bySha256(sha256.toLowerCase(), works.index().bySha256(sha256.toLowerCase())));
        return Response.ok(Map.of("sha256", sha256.toLowerCase(),
                        "registrations", regs.stream().map(Registration::toJson).toList()))
                .header("Cache-Control", "public, max-age=5").build();
    }
}
