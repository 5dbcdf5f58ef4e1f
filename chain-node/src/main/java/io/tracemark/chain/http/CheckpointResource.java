package io.tracemark.chain.http;

import io.tracemark.chain.ChainNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The latest checkpoint (C2SP tlog-tiles {@code /checkpoint}), signed by every replica that cosigned it. */
@Path("/checkpoint")
@Tag(name = "tlog-tiles", description = "C2SP tlog-tiles read path: checkpoint, tiles and entry bundles")
public class CheckpointResource {
    @Inject
    ChainNode node;

    /** C2SP tlog-checkpoint as a C2SP signed note. */
    @GET
    @Produces("text/plain; charset=utf-8")
    @APIResponse(responseCode = "200", description = "The signed note",
            content = @Content(mediaType = "text/plain", schema = @Schema(type = SchemaType.STRING)))
    @Operation(operationId = "getCheckpoint", summary = "Latest checkpoint", description = "C2SP tlog-checkpoint (origin, size, base64 root) as a "
            + "signed note carrying this replica's Ed25519 signature and every verified cosignature.")
    public Response checkpoint() {
        return Response.ok(node.replica().checkpointNote()).header("Cache-Control", "no-cache").build();
    }
}
