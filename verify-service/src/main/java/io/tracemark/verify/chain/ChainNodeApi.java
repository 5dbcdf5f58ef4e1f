package io.tracemark.verify.chain;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.concurrent.CompletionStage;

/**
 * The chain node's public read API as a Quarkus REST client, one instance per replica. Answers come back
 * whole with their status (the default exception mapper is off), so {@link ChainNodeClient} decides what
 * a 404 means and when to try the next replica; bodies stay bytes, relayed or parsed by the caller.
 */
public interface ChainNodeApi extends AutoCloseable {
    /** The latest multi-signed checkpoint (C2SP tlog-checkpoint). */
    @GET
    @Path("/checkpoint")
    RestResponse<byte[]> checkpoint();

    /** An RFC 9162 §2.1.3 inclusion proof; 404/422 while the replica's tree is smaller than {@code size}. */
    @GET
    @Path("/v1/proofs/inclusion")
    RestResponse<byte[]> inclusion(@QueryParam("index") long index, @QueryParam("size") long size);

    /** An RFC 9162 §2.1.4 consistency proof between two tree sizes. */
    @GET
    @Path("/v1/proofs/consistency")
    RestResponse<byte[]> consistency(@QueryParam("from") long from, @QueryParam("to") long to);

    /** The replica's verifier keys, origin and TSA certificate. */
    @GET
    @Path("/v1/keys")
    RestResponse<byte[]> keys();

    /** Where a record digest is in the log; 404 while no sealed block of this replica holds it. */
    @GET
    @Path("/v1/leaves")
    CompletionStage<RestResponse<byte[]>> leaf(@QueryParam("hash") String digestHex);

    /** Witness evidence: a witnessed checkpoint of size at least {@code from} and the proof to it; 404 when none. */
    @GET
    @Path("/v1/checkpoints/witnessed")
    RestResponse<byte[]> witnessed(@QueryParam("from") long from);

    /** The RFC 3161 TimeStampResp over the checkpoint of {@code size}; 404 when it was not stamped. */
    @GET
    @Path("/v1/timestamps/{size}")
    RestResponse<byte[]> timestamp(@PathParam("size") long size);

    /** The external authorities' tokens over the checkpoint of {@code size}; 404 before it is sealed there. */
    @GET
    @Path("/v1/timestamps/{size}/authorities")
    RestResponse<byte[]> authorities(@PathParam("size") long size);
}
