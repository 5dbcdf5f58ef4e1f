package io.tracemark.chain.http;

import io.tracemark.chain.ChainNode;
import io.tracemark.contracts.blocks.BlockMessage;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Sealed blocks: the hash-chained headers with the leaves-topic batches each block covers. */
@Path("/v1/blocks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "blocks", description = "Sealed, hash-chained blocks")
public class BlockResource {
    @Inject
    ChainNode node;

    /** The newest sealed block. */
    @GET
    @Path("/latest")
    @Operation(operationId = "getLatestBlock", summary = "Latest block")
    @APIResponse(responseCode = "200", description = "The newest sealed block",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BlockMessage.class)))
    @APIResponse(responseCode = "404", description = "No block sealed yet (type block-not-found, retriable)")
    public BlockMessage latest() {
        long blocks = node.replica().committed().blocks();
        if (blocks == 0) {
            throw ProblemException.notYet("block-not-found", "Block not found", "no block has been sealed yet");
        }
        return get(blocks - 1);
    }

    /** Block {@code height}. */
    @GET
    @Path("/{height}")
    @Operation(operationId = "getBlock", summary = "Block by height")
    @APIResponse(responseCode = "200", description = "The block",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BlockMessage.class)))
    @APIResponse(responseCode = "400", description = "A parameter does not parse (type invalid-parameter)")
    @APIResponse(responseCode = "404", description = "No sealed block at that height yet (type block-not-found, retriable)")
    public BlockMessage byHeight(@Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0"), example = "0")
                                 @PathParam("height") String height) {
        return get(Params.nonNegative("height", height));
    }

    private BlockMessage get(long height) {
        return node.replica().block(height).orElseThrow(() -> ProblemException.notYet("block-not-found", "Block not found",
                "no sealed block at height " + height));
    }
}
