package io.tracemark.verify.chain;

import io.smallrye.common.annotation.Blocking;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Optional;

/**
 * Relays the chain node's public proofs so browsers and clients need only this origin. Nothing is
 * trusted because it passed through here: every answer is checked by whoever uses it.
 */
@Path("/v1")
@Blocking
public class LedgerResource {
    /** Proofs between fixed tree sizes never change. */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";

    @Inject
    ChainNodeClient chain;
    @Inject
    LatestCheckpoint latest;

    /** The latest multi-signed checkpoint (C2SP signed note), cached briefly. */
    @GET
    @Path("/checkpoint")
    @Produces({"text/plain; charset=utf-8", Problem.MEDIA_TYPE})
    @Operation(summary = "Latest checkpoint", description = "The ledger's latest C2SP checkpoint, verbatim.")
    public Response checkpoint() {
        return Response.ok(latest.note()).header("Cache-Control", "public, max-age=5").build();
    }

    /** An RFC 9162 §2.1.4 consistency proof between two tree sizes. */
    @GET
    @Path("/proofs/consistency")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Consistency proof", description = "Relayed from the chain node: {from, to, hashes}.")
    public Response consistency(@QueryParam("from") String from, @QueryParam("to") String to) {
        long a = size("from", from);
        long b = size("to", to);
        return relay(chain.consistencyJson(a, b), "consistency proof");
    }

    /** An RFC 9162 §2.1.3 inclusion proof of a leaf in a tree size. */
    @GET
    @Path("/proofs/inclusion")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Inclusion proof", description = "Relayed from the chain node: {index, treeSize, leafHash, hashes}.")
    public Response inclusion(@QueryParam("index") String index, @QueryParam("size") String size) {
        long i = size("index", index);
        long s = size("size", size);
        return relay(chain.inclusionJson(i, s), "inclusion proof");
    }

    /** The ledger's verifier keys and TSA certificate. */
    @GET
    @Path("/keys")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Ledger keys", description = "Relayed from the chain node: {origin, verifierKeys, tsaCertificate}.")
    public Response keys() {
        byte[] body = chain.keysJson();
        return Response.ok(body, MediaType.APPLICATION_JSON).header("Cache-Control", "public, max-age=300").build();
    }

    private static Response relay(Optional<byte[]> answer, String what) {
        byte[] body = answer.orElseThrow(() -> new ProblemException(Problem.of("proof-not-available", 404,
                "No such " + what).detail("the ledger has no " + what + " for these sizes (yet)").retriable(true).build()));
        return Response.ok(body, MediaType.APPLICATION_JSON).header("Cache-Control", IMMUTABLE).build();
    }

    private static long size(String name, String value) {
        if (value == null || !value.matches("0|[1-9][0-9]{0,17}")) {
            throw new ProblemException(Problem.of("validation", 400, "Invalid query").retriable(false)
                    .field("/" + name, name + ".invalid", name + " is a non-negative integer").build());
        }
        return Long.parseLong(value);
    }
}
