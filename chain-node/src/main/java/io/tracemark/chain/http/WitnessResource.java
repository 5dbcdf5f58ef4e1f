package io.tracemark.chain.http;

import io.tracemark.chain.WitnessNode;
import io.tracemark.chain.witness.Witness;
import io.tracemark.chain.witness.WitnessResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * This replica as a C2SP tlog-witness, submission and monitoring prefix {@code /witness}. Answers use
 * the witness protocol's own status codes and bodies, not problem+json, because witness clients
 * written to the spec read them.
 */
@Path("/witness")
@Tag(name = "tlog-witness", description = "C2SP tlog-witness: cosigning other logs' checkpoints")
public class WitnessResource {
    @Inject
    WitnessNode node;

    /** C2SP tlog-witness add-checkpoint. */
    @POST
    @Path("/add-checkpoint")
    @Consumes("*/*")
    @APIResponse(responseCode = "200", description = "The cosignature/v1 signature line(s)",
            content = @Content(mediaType = "text/plain", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "The body does not parse", content = @Content(mediaType = "text/plain", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "403", description = "The checkpoint's log or signature is not trusted", content = @Content(mediaType = "text/plain", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "This node does not run a witness, or the log is unknown", content = @Content(mediaType = "text/plain", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "409", description = "'old' is not the size last cosigned; the body says that size",
            content = @Content(mediaType = "text/x.tlog.size", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "413", description = "The body is over the HTTP layer's limit (no body)",
            content = @Content(mediaType = "text/plain", schema = @Schema(type = SchemaType.STRING, maxLength = 0)))
    @APIResponse(responseCode = "422", description = "The consistency proof does not verify", content = @Content(mediaType = "text/plain", schema = @Schema(type = SchemaType.STRING)))
    @Operation(operationId = "addCheckpoint", summary = "Submit a checkpoint for cosigning", description = "C2SP tlog-witness add-checkpoint: "
            + "'old <size>', consistency proof lines, an empty line and the signed checkpoint; answers the "
            + "cosignature/v1 line, or 409 with the size last cosigned (text/x.tlog.size), 400, 403, 404 or 422.")
    public Response addCheckpoint(@RequestBody(required = true, content = @Content(mediaType = "*/*",
            schema = @Schema(type = SchemaType.STRING), examples = @ExampleObject(name = "add-checkpoint",
            value = "old 0\n\ntracemark.dev/log\n42\nq5Zx…=\n\n— tracemark.dev/log Az3…=\n"))) byte[] body) {
        return answer(w -> w.addCheckpoint(body == null ? new byte[0] : body));
    }

    /** C2SP tlog-witness monitor retrieval. */
    @GET
    @Path("/{originHash: [0-9a-f]{64}}/checkpoint")
    @APIResponse(responseCode = "200", description = "The cosigned checkpoint note",
            content = @Content(mediaType = "text/plain", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "No checkpoint cosigned for that log, or no witness here", content = @Content(mediaType = "text/plain", schema = @Schema(type = SchemaType.STRING)))
    @Operation(operationId = "getWitnessedCheckpoint", summary = "Latest checkpoint cosigned for a log", description = "By lowercase hex SHA-256 of the "
            + "log's origin: the log's signatures and this witness's cosignature.")
    public Response checkpoint(@PathParam("originHash") String originHash) {
        return answer(w -> w.checkpoint(originHash)
                .map(WitnessResponse::note)
                .orElseGet(() -> WitnessResponse.refused(404, "no checkpoint cosigned for that log")));
    }

    private Response answer(Function<Witness, WitnessResponse> call) {
        Optional<Witness> w = node.witness();
        WitnessResponse r = w.map(call).orElseGet(() -> WitnessResponse.refused(404, "this node does not run a witness"));
        return Response.status(r.status()).type(r.contentType()).entity(r.body()).build();
    }
}
