package io.tracemark.attest.ledger;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The chain-node read API attest's receipts need, as a Quarkus REST client: one instance per replica, built by
 * {@link ChainNodeClient}, which fails over between them. JSON answers are read with the contracts' codecs; an answer that
 * is not a success becomes {@link ReplicaAnswer.NotThere} (404, 422: the replica does not have it yet) or
 * {@link ReplicaAnswer.Failed} (anything else), never a body parsed as the wrong type.
 */
@Path("/")
public interface ChainNodeApi extends AutoCloseable {
    /** An RFC 9162 §2.1.3 inclusion proof (contracts' InclusionProofCodec JSON); 422 while the replica's tree is smaller than {@code size}. */
    @GET
    @Path("v1/proofs/inclusion")
    @Produces(MediaType.APPLICATION_JSON)
    byte[] inclusion(@QueryParam("index") long index, @QueryParam("size") long size);

    /** A C2SP tlog-tiles tile, {@code path} being what follows {@code /tile/} (already URL-safe: digits, {@code x}, {@code .p}, slashes). */
    @GET
    @Path("tile/{path}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    byte[] tile(@Encoded @PathParam("path") String path);

    /** The RFC 3161 TimeStampResp (DER) over the checkpoint of {@code size}; 404 until it is stamped. */
    @GET
    @Path("v1/timestamps/{size}")
    @Produces("application/timestamp-reply")
    byte[] timestamp(@PathParam("size") long size);

    /** The external authorities' tokens over the checkpoint of {@code size} (contracts' AuthorityTimestampsCodec JSON). */
    @GET
    @Path("v1/timestamps/{size}/authorities")
    @Produces(MediaType.APPLICATION_JSON)
    byte[] authorities(@PathParam("size") long size);

    /** Witness evidence from {@code from} (the receipt format's WitnessEvidence JSON); 404 when there is none. */
    @GET
    @Path("v1/checkpoints/witnessed")
    @Produces(MediaType.APPLICATION_JSON)
    byte[] witnessed(@QueryParam("from") long from);

    /** Where a record digest's leaf is (contracts' LeafPositionCodec JSON); 404 while no sealed block holds it. */
    @GET
    @Path("v1/leaves")
    @Produces(MediaType.APPLICATION_JSON)
    byte[] leaf(@QueryParam("hash") String digestHex);

    /** The log's verifier keys, the replica's TSA certificate and the external authorities (contracts' LedgerKeysCodec JSON). */
    @GET
    @Path("v1/keys")
    @Produces(MediaType.APPLICATION_JSON)
    byte[] keys();

    /** Every answer but a success as an exception {@link ChainNodeClient} tells apart. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return ReplicaAnswer.of(response);
    }
}
