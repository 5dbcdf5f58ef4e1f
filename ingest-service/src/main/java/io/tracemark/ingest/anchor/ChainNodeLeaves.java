package io.tracemark.ingest.anchor;

import io.tracemark.contracts.ledger.LeafPosition;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The chain node's leaf lookup, {@code GET /v1/leaves?hash=}, as a Quarkus REST client ({@code close()} frees its connections). */
@Path("/v1/leaves")
public interface ChainNodeLeaves extends AutoCloseable {

    /**
     * The position of the leaf whose record digest (or RFC 9162 leaf hash) is {@code hash}, hex; a 404 (RFC 9457
     * problem) means no sealed block holds it yet.
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    LeafPosition find(@QueryParam("hash") String hash);
}
