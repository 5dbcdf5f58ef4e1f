package io.tracemark.chain.http;

import io.tracemark.chain.ChainNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.tracemark.contracts.ledger.AuthorityTimestamps;
import io.tracemark.contracts.ledger.AuthorityTimestampsCodec;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** RFC 3161 time-stamp responses over checkpoints. */
@Path("/v1/timestamps")
@Tag(name = "timestamps", description = "RFC 3161 time-stamps over checkpoints")
public class TimestampResource {
    @Inject
    ChainNode node;

    /** The TimeStampResp (RFC 3161 §2.4.2, DER) whose token covers SHA-256 of the checkpoint body of {@code size}. */
    @GET
    @Path("/{size}")
    @Produces("application/timestamp-reply")
    @APIResponse(responseCode = "200", description = "The DER TimeStampResp",
            content = @Content(mediaType = "application/timestamp-reply", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "400", description = "size is not a non-negative integer (type invalid-parameter)")
    @APIResponse(responseCode = "404", description = "No time-stamp for that size yet (type timestamp-not-found, retriable)")
    @Operation(operationId = "getTimestamp", summary = "RFC 3161 time-stamp of a checkpoint", description = "Verify with `openssl ts -verify "
            + "-digest <sha256 of checkpoint body> -in <file> -CAfile <tsaCertificate from /v1/keys>`.")
    public Response timestamp(@Parameter(example = "42") @PathParam("size") String size) {
        long s = Params.nonNegative("size", size);
        byte[] resp = node.replica().timestamper().response(s).orElseThrow(() -> ProblemException.notYet("timestamp-not-found",
                "Time-stamp not found", "no time-stamp for a checkpoint of size " + s + " (not sealed, or not yet stamped)"));
        return Response.ok(resp).header("Cache-Control", "public, max-age=31536000, immutable").build();
    }

    /**
     * The external authorities' tokens over the checkpoint of {@code size}, and which configured authorities are
     * still pending or missing ({@link AuthorityTimestamps}).
     */
    @GET
    @Path("/{size}/authorities")
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "Tokens (base64 DER TimeStampToken) by authority name; pending and "
            + "missing authorities", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AuthorityTimestamps.class)))
    @APIResponse(responseCode = "400", description = "size is not a non-negative integer (type invalid-parameter)")
    @APIResponse(responseCode = "404", description = "No checkpoint of that size sealed yet (type checkpoint-not-found, retriable)")
    @Operation(operationId = "getAuthorityTimestamps", summary = "External authorities' RFC 3161 time-stamps of a checkpoint",
            description = "Each token covers SHA-256 of the checkpoint body, as the replica's own; verify one with `openssl ts "
                    + "-verify -token_in -digest <sha256> -in <token file> -CAfile <its certificate from /v1/keys> "
                    + "-untrusted <the same>`. Cached briefly while an authority is pending.")
    public Response authorities(@Parameter(example = "42") @PathParam("size") String size) {
        long s = Params.nonNegative("size", size);
        if (node.replica().committed() == null || s > node.replica().committed().treeSize()) {
            throw ProblemException.notYet("checkpoint-not-found", "Checkpoint not found",
                    "no checkpoint of size " + s + " is sealed yet");
        }
        AuthorityTimestamps a = node.replica().authorities().of(s);
        String cache = a.pending().isEmpty() ? "public, max-age=60" : "no-cache";
        return Response.ok(AuthorityTimestampsCodec.encode(a), MediaType.APPLICATION_JSON).header("Cache-Control", cache).build();
    }
}
