package io.tracemark.verify.receipts;

import io.smallrye.common.annotation.Blocking;
import io.tracemark.edge.problem.Problem;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.tlogproof.TlogProof;
import io.tracemark.verify.anchoring.AnchorLookup;
import io.tracemark.verify.anchoring.Anchoring;
import io.tracemark.verify.chain.TrustPolicy;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bson.Document;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Public receipts: everything needed to check a record's anchoring without trusting this service. */
@Path("/v1/receipts")
@Blocking
public class ReceiptResource {
    /** Receipts embed their block's checkpoint, which gains signatures as replicas cosign it: cacheable briefly. */
    static final String CACHE = "public, max-age=5";

    @Inject
    RecordsView view;
    @Inject
    AnchorLookup anchors;
    @Inject
    ReceiptAssembler assembler;
    @Inject
    TrustPolicy trust;

    /** The receipt of an anchored record: canonical bytes, leaf index, inclusion proof, signed checkpoint. */
    @GET
    @Path("/{recordId}")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Receipt of an anchored record",
            description = "The record's canonical bytes and digest, its leaf index, an RFC 9162 inclusion proof, the "
                    + "multi-signed checkpoint it verifies against, the verifier keys in force and the RFC 3161 "
                    + "time-stamp response over that checkpoint when one exists.")
    public Response receipt(@PathParam("recordId") String recordId) {
        Anchored a = anchored(recordId);
        if (a == null) {
            return notAnchoredYet();
        }
        Map<String, Object> body = assembler.receipt(a.record(), a.anchoring());
        return Response.ok(body).header("Cache-Control", CACHE).build();
    }

    /** The same inclusion proof as a C2SP tlog-proof file, checkable with any tlog-proof verifier. */
    @GET
    @Path("/{recordId}/tlog-proof")
    @Produces({"application/octet-stream", Problem.MEDIA_TYPE})
    @Operation(summary = "Receipt as a C2SP .tlog-proof file", description = "The leaf data is the 32-byte record digest.")
    public Response tlogProof(@PathParam("recordId") String recordId) {
        Anchored a = anchored(recordId);
        if (a == null) {
            return notAnchoredYet();
        }
        Map<String, Object> r = assembler.receipt(a.record(), a.anchoring());
        @SuppressWarnings("unchecked")
        List<String> hashes = (List<String>) r.get("inclusionProof");
        byte[][] proof = hashes.stream().map(h -> Base64.getDecoder().decode(h)).toArray(byte[][]::new);
        byte[] note = ((String) r.get("checkpoint")).getBytes(StandardCharsets.UTF_8);
        byte[] file = TlogProof.of((Long) r.get("leafIndex"), proof, note, null).encode();
        return Response.ok(file).header("Cache-Control", CACHE)
                .header("Content-Disposition", "attachment; filename=\"" + recordId + ".tlog-proof\"")
                .header("X-Tracemark-Leaf-Data", a.record().getString("digest"))
                .build();
    }

    /** The receipt bundle of the {@code proofs} library (format {@code tracemark.dev/receipt@v1}). */
    @GET
    @Path("/{recordId}/bundle")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Receipt bundle (tracemark.dev/receipt@v1)", description = "Record, C2SP tlog-proof against "
            + "the sealing block's checkpoint, the hash-chained block header and the RFC 3161 token; verifiable offline "
            + "with the proofs library's ReceiptVerifier or POST /v1/verify.")
    public Response bundle(@PathParam("recordId") String recordId) {
        Anchored a = anchored(recordId);
        if (a == null) {
            return notAnchoredYet();
        }
        Receipt receipt = assembler.bundle(a.record(), a.anchoring());
        // Pinned to the sealing block's checkpoint, so it only changes while more replicas cosign it: cached
        // long only once the note carries as many signatures as verifiers require.
        boolean cosigned = receipt.verifierKeyNames().size() >= trust.current().threshold();
        return Response.ok(ReceiptJson.write(receipt), MediaType.APPLICATION_JSON)
                .header("Cache-Control", cosigned ? "public, max-age=3600" : CACHE).build();
    }

    private record Anchored(Document record, Anchoring anchoring) {
    }

    /** The record and its anchoring, {@code null} if it exists but is not anchored yet. */
    private Anchored anchored(String recordId) {
        if (!RecordIds.isValid(recordId)) {
            throw RecordIds.notFound();
        }
        Document record = view.record(recordId).orElseThrow(RecordIds::notFound);
        String digest = record.getString("digest");
        return digest == null ? null : anchors.anchoring(digest).map(a -> new Anchored(record, a)).orElse(null);
    }

    private static Response notAnchoredYet() {
        return Response.fromResponse(Problem.of("not-anchored-yet", 404, "Record is not anchored yet")
                        .detail("Anchoring normally completes within a second; retry shortly.")
                        .retriable(true).toResponse())
                .header("Retry-After", "1").build();
    }
}
