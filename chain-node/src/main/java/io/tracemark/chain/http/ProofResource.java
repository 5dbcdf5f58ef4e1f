package io.tracemark.chain.http;

import io.tracemark.chain.ChainNode;
import io.tracemark.chain.ChainReplica;
import io.tracemark.chain.tiles.TreeHashReader;
import io.tracemark.contracts.ledger.ConsistencyProof;
import io.tracemark.contracts.ledger.ConsistencyProofCodec;
import io.tracemark.contracts.ledger.InclusionProof;
import io.tracemark.contracts.ledger.InclusionProofCodec;
import io.tracemark.proofs.merkle.Tlog;
import io.tracemark.proofs.tlogproof.TlogProof;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * RFC 9162 §2.1.3 inclusion and §2.1.4 consistency proofs against any checkpointed size, and
 * C2SP tlog-proof files (https://c2sp.org/tlog-proof) for offline verification.
 */
@Path("/v1/proofs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "proofs", description = "RFC 9162 inclusion and consistency proofs, C2SP tlog-proof files")
public class ProofResource {
    @Inject
    ChainNode node;

    /** Inclusion proof of leaf {@code index} in the tree of {@code size} leaves. */
    @GET
    @Path("/inclusion")
    @Operation(operationId = "getInclusionProof", summary = "Inclusion proof",
            description = "RFC 9162 §2.1.3.1 audit path for leaf index in tree size.")
    @APIResponse(responseCode = "200", description = "The proof",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InclusionProof.class)))
    @APIResponse(responseCode = "400", description = "A parameter does not parse (type invalid-parameter)")
    @APIResponse(responseCode = "422", description = "index not below size (type index-out-of-range), or size beyond the "
            + "latest checkpoint (type size-out-of-range, retriable)")
    public Response inclusion(@Parameter(required = true, example = "7") @QueryParam("index") String index,
                              @Parameter(required = true, example = "42") @QueryParam("size") String size) {
        long i = Params.nonNegative("index", index);
        long s = checkedSize("size", size);
        byte[][] path = auditPath(i, s);
        byte[] leafHash = node.replica().storage().tiles().readLevel(0, i, 1);
        return json(InclusionProofCodec.encode(new InclusionProof(i, s, b64(leafHash), b64(path))));
    }

    /** Consistency proof from tree size {@code from} to {@code to}. */
    @GET
    @Path("/consistency")
    @Operation(operationId = "getConsistencyProof", summary = "Consistency proof",
            description = "RFC 9162 §2.1.4.1 proof that tree size `to` extends `from`.")
    @APIResponse(responseCode = "200", description = "The proof",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConsistencyProof.class)))
    @APIResponse(responseCode = "400", description = "A parameter does not parse (type invalid-parameter)")
    @APIResponse(responseCode = "422", description = "from above to, or to beyond the latest checkpoint (type size-out-of-range)")
    public Response consistency(@Parameter(required = true, example = "10") @QueryParam("from") String from,
                                @Parameter(required = true, example = "42") @QueryParam("to") String to) {
        long a = Params.nonNegative("from", from);
        long b = checkedSize("to", to);
        if (a > b) {
            throw new ProblemException(422, "size-out-of-range", "Tree size out of range",
                    "from (" + a + ") must not exceed to (" + b + ")");
        }
        byte[][] path = Tlog.proveTree(b, a, new TreeHashReader(node.replica().storage().tiles(), b));
        return json(ConsistencyProofCodec.encode(new ConsistencyProof(a, b, b64(path))));
    }

    /**
     * C2SP tlog-proof file for leaf {@code index} against the latest multi-signed checkpoint, or
     * against the checkpoint of {@code size} while this node still serves its cosigned note.
     */
    @GET
    @Path("/tlog-proof")
    @Produces("text/plain; charset=utf-8")
    @APIResponse(responseCode = "200", description = "The .tlog-proof file",
            content = @Content(mediaType = "text/plain", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "A parameter does not parse (type invalid-parameter)")
    @APIResponse(responseCode = "404", description = "No signed checkpoint of that size is served (type checkpoint-not-found)")
    @APIResponse(responseCode = "422", description = "index not below size (type index-out-of-range)")
    @Operation(operationId = "getTlogProof", summary = "Offline inclusion proof (.tlog-proof)", description = "C2SP tlog-proof@v1: the audit "
            + "path of leaf index and the signed checkpoint it leads to, with every replica's cosignature.")
    public Response tlogProof(@Parameter(required = true, example = "7") @QueryParam("index") String index,
                              @Parameter(description = "Tree size; the latest when absent") @QueryParam("size") String size) {
        long i = Params.nonNegative("index", index);
        ChainReplica replica = node.replica();
        long latest = replica.committed().treeSize();
        long s = size == null ? latest : Params.nonNegative("size", size);
        Optional<String> served = s <= latest ? replica.cosignatures().note(s) : Optional.empty();
        String note = served.orElseThrow(() -> {
            ProblemException p = ProblemException.notFound("checkpoint-not-found", "Checkpoint not served",
                    "this node serves no signed checkpoint of size " + s + "; omit size for the latest (" + latest + ")");
            // A size the log has not reached yet may be served later; an older unserved one never will.
            return s > latest ? p.retriable() : p;
        });
        byte[] file = TlogProof.of(i, auditPath(i, s), note.getBytes(StandardCharsets.UTF_8), null).encode();
        return Response.ok(file).header("Content-Disposition", "attachment; filename=\"leaf-" + i + ".tlog-proof\"")
                .build();
    }

    private byte[][] auditPath(long index, long size) {
        if (index >= size) {
            throw new ProblemException(422, "index-out-of-range", "Leaf index out of range",
                    "leaf " + index + " is not in a tree of size " + size);
        }
        return Tlog.proveRecord(size, index, new TreeHashReader(node.replica().storage().tiles(), size));
    }

    private long checkedSize(String name, String value) {
        long s = Params.nonNegative(name, value);
        long committed = node.replica().committed().treeSize();
        if (s > committed) {
            throw new ProblemException(422, "size-out-of-range", "Tree size out of range",
                    name + " " + s + " exceeds the latest checkpoint size " + committed).retriable();
        }
        return s;
    }

    /** The contracts' codec writes the body, so that it is what verify and attest decode with the same codec. */
    private static Response json(byte[] body) {
        return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }

    private static List<String> b64(byte[][] hashes) {
        return Arrays.stream(hashes).map(ProofResource::b64).toList();
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
