package io.tracemark.chain.http;

import io.tracemark.chain.ChainNode;
import io.tracemark.chain.tiles.TileReader;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.tiles.TilePath;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * C2SP tlog-tiles read path: hash tiles {@code /tile/<L>/<N>[.p/<W>]} and entry bundles
 * {@code /tile/entries/<N>[.p/<W>]}. Paths are parsed into numbers; no part of the request ever
 * reaches the file system.
 */
@Path("/tile")
@Tag(name = "tlog-tiles")
public class TileResource {
    @Inject
    ChainNode node;

    /** Serves a tile or entry bundle of the latest checkpoint's tree. */
    @GET
    @Path("/{path: .+}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @APIResponse(responseCode = "200", description = "The tile or entry bundle",
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "400", description = "Not a tile path (type invalid-parameter)")
    @APIResponse(responseCode = "404", description = "Beyond the latest checkpoint (type tile-not-found, retriable)")
    @Operation(operationId = "getTile", summary = "Tile or entry bundle", description = "C2SP tlog-tiles, tile height 8. Full tiles are "
            + "immutable; partial tiles (.p/W) are cached briefly.")
    public Response tile(@Parameter(description = "<L>/<N>[.p/<W>] or entries/<N>[.p/<W>]", example = "0/000")
                         @PathParam("path") String path) {
        TilePath tile;
        try {
            tile = TilePath.parse("tile/" + path);
        } catch (ProofException e) {
            throw ProblemException.badPath(e.getMessage());
        }
        byte[] body = new TileReader(node.replica().storage().tiles()).read(tile, node.replica().committed().treeSize());
        if (body == null) {
            throw ProblemException.notYet("tile-not-found", "Tile not available",
                    tile.format() + " is beyond the latest checkpoint");
        }
        String cache = !tile.isPartial() ? "public, max-age=31536000, immutable" : "public, max-age=1";
        return Response.ok(body).header("Cache-Control", cache).build();
    }
}
