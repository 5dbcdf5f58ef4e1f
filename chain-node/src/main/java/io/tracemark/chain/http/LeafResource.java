package io.tracemark.chain.http;

import io.tracemark.chain.ChainNode;
import io.tracemark.chain.ChainReplica;
import io.tracemark.contracts.ledger.LeafPosition;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Finds a leaf by its record digest or its RFC 9162 leaf hash: its index and the sealed block that
 * holds it (the block's batches then say which record it came from). The answer is the contracts'
 * {@link LeafPosition}, which ingest and verify read with {@code LeafPositionCodec}.
 */
@Path("/v1/leaves")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "leaves", description = "Leaf lookup by record digest or leaf hash")
public class LeafResource {
    @Inject
    ChainNode node;

    /**
     * The leaf with this digest (tried first) or leaf hash, within the latest checkpoint. A leaf not
     * sealed into a block yet is "not present" like an unknown one: the problem is retriable.
     */
    @GET
    @Operation(operationId = "findLeaf", summary = "Leaf index and block height by digest or leaf hash")
    @APIResponse(responseCode = "200", description = "Where the leaf is",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LeafPosition.class)))
    @APIResponse(responseCode = "400", description = "A parameter does not parse (type invalid-parameter)")
    @APIResponse(responseCode = "404", description = "Not in the latest checkpoint (type not-present, retriable)")
    public LeafPosition find(@Parameter(required = true, description = "Record digest or RFC 9162 leaf hash, 64 hex digits",
            schema = @Schema(type = SchemaType.STRING, pattern = "^[0-9a-fA-F]{64}$")) @QueryParam("hash") String hash) {
        byte[] h = Params.hash("hash", hash);
        Optional<ChainReplica.LeafLocation> asDigest = node.replica().findLeaf(Rfc9162Hasher.leafHash(h));
        Optional<ChainReplica.LeafLocation> found = asDigest.isPresent() ? asDigest : node.replica().findLeaf(h);
        ChainReplica.LeafLocation at = found.orElseThrow(() -> ProblemException.notYet("not-present",
                "Leaf not present", "no leaf with this digest or leaf hash is in the latest checkpoint"));
        return new LeafPosition(at.index(), at.blockHeight());
    }
}
