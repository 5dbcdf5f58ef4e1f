package io.tracemark.verify.chain;

import io.smallrye.common.annotation.Blocking;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import io.tracemark.contracts.ledger.ConsistencyProof;
import io.tracemark.contracts.ledger.InclusionProof;
import io.tracemark.contracts.ledger.LedgerKeysCodec;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.Optional;

/**
 * Relays the chain node's public proofs so browsers and clients need only this origin. Nothing is
 * trusted because it passed through here: every answer is checked by whoever uses it.
 */
@Tag(name = "ledger", description = "The ledger's checkpoint, proofs and keys, relayed")
@Path("/v1")
@Blocking
public class LedgerResource {
    /** Proofs between fixed tree sizes never change. */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";

    @Inject
    ChainNodeClient chain;
    @Inject
    LatestCheckpoint latest;
    @Inject
    TrustPolicy trust;

    /** The latest multi-signed checkpoint (C2SP signed note), cached briefly. */
    @GET
    @Path("/checkpoint")
    @Produces({"text/plain; charset=utf-8", Problem.MEDIA_TYPE})
    @Operation(operationId = "getLatestCheckpoint", summary = "Latest checkpoint", description = "The ledger's latest C2SP checkpoint, verbatim.")
    @APIResponse(responseCode = "200", description = "The signed note (C2SP tlog-checkpoint)",
            content = @Content(mediaType = "text/plain", schema = @Schema(type = SchemaType.STRING),
                    examples = @ExampleObject(name = "checkpoint", value = "tracemark.dev/log\n42\nq5Zx…=\n\n— tracemark.dev/log Az3…=\n")))
    @APIResponse(responseCode = "503", description = "No replica answers (type chain-unavailable)")
    public Response checkpoint() {
        return Response.ok(latest.note()).header("Cache-Control", "public, max-age=5").build();
    }

    /** An RFC 9162 §2.1.4 consistency proof between two tree sizes. */
    @GET
    @Path("/proofs/consistency")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(operationId = "getConsistencyProof", summary = "Consistency proof", description = "Relayed from the chain node: {from, to, hashes}.")
    @APIResponse(responseCode = "200", description = "The proof",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConsistencyProof.class)))
    @APIResponse(responseCode = "400", description = "from or to is not a non-negative integer (type validation)")
    @APIResponse(responseCode = "404", description = "No proof for these sizes yet (type proof-not-available, retriable)")
    @APIResponse(responseCode = "503", description = "No replica answers (type chain-unavailable)")
    public Response consistency(@Parameter(required = true, example = "10") @QueryParam("from") String from,
                                @Parameter(required = true, example = "42") @QueryParam("to") String to) {
        long a = size("from", from);
        long b = size("to", to);
        return relay(chain.consistencyJson(a, b), "consistency proof");
    }

    /** An RFC 9162 §2.1.3 inclusion proof of a leaf in a tree size. */
    @GET
    @Path("/proofs/inclusion")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(operationId = "getInclusionProof", summary = "Inclusion proof", description = "Relayed from the chain node: {index, treeSize, leafHash, hashes}.")
    @APIResponse(responseCode = "200", description = "The proof",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InclusionProof.class)))
    @APIResponse(responseCode = "400", description = "index or size is not a non-negative integer (type validation)")
    @APIResponse(responseCode = "404", description = "No proof for these sizes yet (type proof-not-available, retriable)")
    @APIResponse(responseCode = "503", description = "No replica answers (type chain-unavailable)")
    public Response inclusion(@Parameter(required = true, example = "7") @QueryParam("index") String index,
                              @Parameter(required = true, example = "42") @QueryParam("size") String size) {
        long i = size("index", index);
        long s = size("size", size);
        return relay(chain.inclusionJson(i, s), "inclusion proof");
    }

    /** The ledger's verifier keys, TSA certificate and external time-stamping authorities. */
    @GET
    @Path("/keys")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(operationId = "getLedgerKeys", summary = "Ledger keys", description = "Relayed from the chain node: {origin, verifierKeys, tsaCertificate, "
            + "timestampAuthorities}, with tsaCertificates: every replica's TSA certificate (a receipt's token may come from any).")
    @APIResponse(responseCode = "200", description = "Every replica's note verifier key and TSA certificate",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PublishedKeys.class)))
    @APIResponse(responseCode = "503", description = "No replica answers (type chain-unavailable)")
    public Response keys() {
        PublishedKeys keys = PublishedKeys.of(LedgerKeysCodec.decode(chain.keysJson()), trust.current().replicaTsaCertificates());
        return Response.ok(keys, MediaType.APPLICATION_JSON).header("Cache-Control", "public, max-age=300").build();
    }

    /** The witnesses this service trusts and how many must cosign ({@code tracemark.verify.witnesses}). */
    @GET
    @Path("/witnesses")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getTrustedWitnesses", summary = "Trusted witnesses", description = "C2SP tlog-cosignature "
            + "verifier keys of the witnesses whose cosignatures the public verdict requires, and how many of them: the "
            + "trust input for checkpoint.witnessed (the offline CLI's --witness and --witness-threshold).")
    @APIResponse(responseCode = "200", description = "The witness policy",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TrustedWitnesses.class)))
    public TrustedWitnesses witnesses() {
        var policy = trust.witnesses();
        return new TrustedWitnesses(policy.witnesses().stream().map(w -> w.verifierKey()).toList(), policy.threshold());
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
