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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * This replica as a C2SP tlog-witness, submission and monitoring prefix {@code /witness}. Answers use
 * the witness protocol's own status codes and bodies, not problem+json, because witness clients
 * written to the spec read them.
 */
@Path("/witness")
@Tag(name = "tlog-witness")
public class WitnessResource {
    @Inject
    WitnessNode node;

    /** C2SP tlog-witness add-checkpoint. */
    @POST
    @Path("/add-checkpoint")
    @Consumes("*/*")
    @Operation(summary = "Submit a checkpoint for cosigning", description = "C2SP tlog-witness add-checkpoint: "
            + "'old <size>', consistency proof lines, an empty line and the signed checkpoint; answers the "
            + "cosignature/v1 line, or 409 with the size last cosigned (text/x.tlog.size), 400, 403, 404 or 422.")
    public Response addCheckpoint(byte[] body) {
        return answer(w -> w.addCheckpoint(body == null ? new byte[0] : body));
    }

    /** C2SP tlog-witness monitor retrieval. */
    @GET
    @Path("/{originHash: [0-9a-f]{64}}/checkpoint")
    @Operation(summary = "Latest checkpoint cosigned for a log", description = "By lowercase hex SHA-256 of the "
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
