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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Sealed blocks: the hash-chained headers with the leaves-topic batches each block covers. */
@Path("/v1/blocks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "blocks")
public class BlockResource {
    @Inject
    ChainNode node;

    /** The newest sealed block. */
    @GET
    @Path("/latest")
    @Operation(summary = "Latest block")
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
    @Operation(summary = "Block by height")
    public BlockMessage byHeight(@PathParam("height") String height) {
        return get(Params.nonNegative("height", height));
    }

    private BlockMessage get(long height) {
        return node.replica().block(height).orElseThrow(() -> ProblemException.notYet("block-not-found", "Block not found",
                "no sealed block at height " + height));
    }
}
