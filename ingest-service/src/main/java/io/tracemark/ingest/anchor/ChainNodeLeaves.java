package io.tracemark.ingest.anchor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The chain node's leaf lookup, {@code GET /v1/leaves?hash=}, as a Quarkus REST client ({@code close()} frees its connections). */
@Path("/v1/leaves")
public interface ChainNodeLeaves extends AutoCloseable {

    /**
     * Where a leaf is: its index and the height of the sealed block that holds it. A 404 (RFC 9457 problem)
     * means no sealed block holds it yet.
     *
     * @param index       the leaf index
     * @param blockHeight the height of the block holding it, or {@code null} from a chain node that does not say
     */
    record LeafPosition(Long index, Long blockHeight) {
    }

    /** The position of the leaf whose record digest (or RFC 9162 leaf hash) is {@code hash}, hex. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    LeafPosition find(@QueryParam("hash") String hash);
}
