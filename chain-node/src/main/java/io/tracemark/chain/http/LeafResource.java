package io.tracemark.chain.http;

import io.tracemark.chain.ChainNode;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.OptionalLong;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Finds a leaf's index by its record digest or its RFC 9162 leaf hash. */
@Path("/v1/leaves")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "leaves")
public class LeafResource {
    @Inject
    ChainNode node;

    /**
     * Lookup result.
     *
     * @param index the leaf index
     */
    public record LeafIndexBody(long index) {
    }

    /** The index of the leaf with this digest (tried first) or leaf hash, within the latest checkpoint. */
    @GET
    @Operation(summary = "Leaf index by digest or leaf hash")
    public LeafIndexBody find(@QueryParam("hash") String hash) {
        byte[] h = Params.hash("hash", hash);
        OptionalLong asDigest = node.replica().findLeaf(Rfc9162Hasher.leafHash(h));
        OptionalLong found = asDigest.isPresent() ? asDigest : node.replica().findLeaf(h);
        return new LeafIndexBody(found.orElseThrow(() -> ProblemException.notYet("not-present",
                "Leaf not present", "no leaf with this digest or leaf hash is in the latest checkpoint")));
    }
}
