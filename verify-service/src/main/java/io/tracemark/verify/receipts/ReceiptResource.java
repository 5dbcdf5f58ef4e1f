package io.tracemark.verify.receipts;

import io.smallrye.common.annotation.Blocking;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.verify.chain.ChainNodeClient;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bson.Document;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Public receipts: everything needed to check a record's anchoring without trusting this service. */
@Path("/v1/receipts")
@Blocking
public class ReceiptResource {
    @Inject
    RecordsView view;
    @Inject
    ChainNodeClient chain;

    /** The receipt of an anchored record: canonical bytes, leaf index, inclusion proof, signed checkpoint. */
    @GET
    @Path("/{recordId}")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Receipt of an anchored record",
            description = "The record's canonical bytes and digest, its leaf index, an RFC 9162 inclusion proof and the multi-signed checkpoint it verifies against.")
    public Response receipt(@PathParam("recordId") String recordId) {
        if (!recordId.matches("[0-9A-Z]{26}")) {
            throw new ProblemException(Problem.of("not-found", 404, "No such record").build());
        }
        Document record = view.record(recordId).orElseThrow(() ->
                new ProblemException(Problem.of("not-found", 404, "No such record").build()));
        Document anchor = view.anchor(recordId).filter(a -> "anchored".equals(a.getString("state"))).orElse(null);
        if (anchor == null) {
            return Response.fromResponse(Problem.of("not-anchored-yet", 404, "Record is not anchored yet")
                            .detail("Anchoring normally completes within a second; retry shortly.")
                            .retriable(true).toResponse())
                    .header("Retry-After", "1").build();
        }
        long leafIndex = ((Number) anchor.get("leafIndex")).longValue();
        String note = chain.checkpoint();
        int bodyEnd = note.indexOf("\n\n");
        if (bodyEnd < 0) {
            throw new ProblemException(Problem.of("chain-unavailable", 503, "The ledger returned no checkpoint")
                    .retriable(true).build());
        }
        Checkpoint cp = Checkpoint.parse(note.substring(0, bodyEnd + 1));
        if (cp.size() <= leafIndex) {
            return Response.fromResponse(Problem.of("chain-lagging", 503, "The ledger replica has not caught up yet")
                    .retriable(true).toResponse()).header("Retry-After", "1").build();
        }
        List<byte[]> proof = chain.inclusionProof(leafIndex, cp.size());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("recordId", recordId);
        body.put("type", record.getString("type"));
        body.put("digest", record.getString("digest"));
        body.put("salt", record.getString("salt"));
        body.put("canonical", record.getString("canonical"));
        body.put("leafIndex", leafIndex);
        body.put("blockHeight", anchor.get("blockHeight"));
        body.put("treeSize", cp.size());
        body.put("inclusionProof", proof.stream().map(h -> Base64.getEncoder().encodeToString(h)).toList());
        body.put("checkpoint", note);
        return Response.ok(body).header("Cache-Control", "public, max-age=5").build();
    }
}
