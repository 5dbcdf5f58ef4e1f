package io.tracemark.chain.http;

import io.tracemark.chain.ChainNode;
import io.tracemark.chain.tiles.TreeHashReader;
import io.tracemark.proofs.merkle.Tlog;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** RFC 9162 §2.1.3 inclusion and §2.1.4 consistency proofs against any checkpointed size. */
@Path("/v1/proofs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "proofs")
public class ProofResource {
    @Inject
    ChainNode node;

    /**
     * Inclusion proof body.
     *
     * @param index    leaf index
     * @param treeSize tree size the proof is for
     * @param leafHash base64 RFC 9162 leaf hash of the leaf
     * @param hashes   base64 audit path, leaf sibling first
     */
    public record InclusionProof(long index, long treeSize, String leafHash, List<String> hashes) {
    }

    /**
     * Consistency proof body.
     *
     * @param from   older tree size
     * @param to     newer tree size
     * @param hashes base64 proof nodes
     */
    public record ConsistencyProof(long from, long to, List<String> hashes) {
    }

    /** Inclusion proof of leaf {@code index} in the tree of {@code size} leaves. */
    @GET
    @Path("/inclusion")
    @Operation(summary = "Inclusion proof", description = "RFC 9162 §2.1.3.1 audit path for leaf index in tree size.")
    public InclusionProof inclusion(@QueryParam("index") String index, @QueryParam("size") String size) {
        long i = Params.nonNegative("index", index);
        long s = checkedSize("size", size);
        if (i >= s) {
            throw new ProblemException(422, "index-out-of-range", "Leaf index out of range",
                    "leaf " + i + " is not in a tree of size " + s);
        }
        var tiles = node.replica().storage().tiles();
        byte[][] path = Tlog.proveRecord(s, i, new TreeHashReader(tiles, s));
        byte[] leafHash = tiles.readLevel(0, i, 1);
        return new InclusionProof(i, s, b64(leafHash), Arrays.stream(path).map(ProofResource::b64).toList());
    }

    /** Consistency proof from tree size {@code from} to {@code to}. */
    @GET
    @Path("/consistency")
    @Operation(summary = "Consistency proof", description = "RFC 9162 §2.1.4.1 proof that tree size `to` extends `from`.")
    public ConsistencyProof consistency(@QueryParam("from") String from, @QueryParam("to") String to) {
        long a = Params.nonNegative("from", from);
        long b = checkedSize("to", to);
        if (a > b) {
            throw new ProblemException(422, "size-out-of-range", "Tree size out of range",
                    "from (" + a + ") must not exceed to (" + b + ")");
        }
        byte[][] path = Tlog.proveTree(b, a, new TreeHashReader(node.replica().storage().tiles(), b));
        return new ConsistencyProof(a, b, Arrays.stream(path).map(ProofResource::b64).toList());
    }

    private long checkedSize(String name, String value) {
        long s = Params.nonNegative(name, value);
        long committed = node.replica().committed().treeSize();
        if (s > committed) {
            throw new ProblemException(422, "size-out-of-range", "Tree size out of range",
                    name + " " + s + " exceeds the latest checkpoint size " + committed);
        }
        return s;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
