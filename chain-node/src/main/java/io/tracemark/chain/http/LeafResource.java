package io.tracemark.chain.http;

import io.tracemark.chain.ChainNode;
import io.tracemark.chain.ChainReplica;
import io.tracemark.contracts.ledger.LeafAbsence;
import io.tracemark.contracts.ledger.LeafAbsenceCodec;
import io.tracemark.contracts.ledger.LeafPosition;
import io.tracemark.contracts.ledger.LeafPositionCodec;
import io.tracemark.proofs.absence.AbsenceStatement;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Base64;
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
 * {@link LeafPosition}, written and read (by ingest, attest and verify) with {@code LeafPositionCodec}; a digest not
 * there is the contracts' {@link LeafAbsence} problem, written and read with {@code LeafAbsenceCodec}.
 */
@Path("/v1/leaves")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "leaves", description = "Leaf lookup by record digest or leaf hash")
public class LeafResource {
    @Inject
    ChainNode node;

    /**
     * The leaf with this digest (tried first) or leaf hash, within the latest checkpoint. A leaf not
     * sealed into a block yet is "not present" like an unknown one: the problem is retriable, and carries the
     * replica's signed statement of absence for the tree it covers, which the published tiles can prove false.
     */
    @GET
    @Operation(operationId = "findLeaf", summary = "Leaf index and block height by digest or leaf hash")
    @APIResponse(responseCode = "200", description = "Where the leaf is",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LeafPosition.class)))
    @APIResponse(responseCode = "400", description = "A parameter does not parse (type invalid-parameter)")
    @APIResponse(responseCode = "404", description = "Not in the latest checkpoint (type not-present, retriable), with the "
            + "tree size and root it covers and this replica's signed statement of absence",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = LeafAbsenceProblem.class)))
    public Response find(@Parameter(required = true, description = "Record digest or RFC 9162 leaf hash, 64 hex digits",
            schema = @Schema(type = SchemaType.STRING, pattern = "^[0-9a-fA-F]{64}$")) @QueryParam("hash") String hash) {
        byte[] h = Params.hash("hash", hash);
        ChainReplica.LeafLookup lookup = node.replica().lookup(h);
        if (lookup.location() != null) {
            return Response.ok(LeafPositionCodec.encode(new LeafPosition(lookup.location().index(),
                    lookup.location().blockHeight())), MediaType.APPLICATION_JSON).build();
        }
        AbsenceStatement s = lookup.absence().statement();
        byte[] body = LeafAbsenceCodec.encode(new LeafAbsence(s.treeSize(), Base64.getEncoder().encodeToString(s.root()),
                lookup.absence().note()));
        return Response.status(404).type(ProblemMapper.PROBLEM_JSON).entity(body).build();
    }
}
