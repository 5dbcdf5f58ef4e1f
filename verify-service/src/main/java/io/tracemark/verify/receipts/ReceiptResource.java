package io.tracemark.verify.receipts;

import io.smallrye.common.annotation.Blocking;
import io.tracemark.edge.problem.Problem;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.verify.chain.TrustPolicy;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Public receipts: everything needed to check a record's anchoring without trusting this service. */
@Path("/v1/receipts")
@Blocking
public class ReceiptResource {
    /** Receipts embed their block's checkpoint, which gains signatures as replicas cosign it: cacheable briefly. */
    static final String CACHE = "public, max-age=5";
    /** Once every required replica signed, the receipt never changes again. */
    static final String COSIGNED = "public, max-age=3600";

    @Inject
    Receipts receipts;
    @Inject
    TrustPolicy trust;

    /** The receipt of an anchored record, format {@code tracemark.dev/receipt@v1}. */
    @GET
    @Path("/{recordId}")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Receipt of an anchored record (tracemark.dev/receipt@v1)", description = "The record's "
            + "canonical bytes and digest, a C2SP tlog-proof of its leaf against the checkpoint of the block that first "
            + "included it, that block's hash-chained header and the RFC 3161 token over the same checkpoint. Verifiable "
            + "offline with the proofs CLI (`java -jar proofs-cli.jar receipt receipt.json --keys keys.json`) or "
            + "POST /v1/verify.")
    public Response receipt(@PathParam("recordId") String recordId) {
        Optional<Receipt> receipt = receipts.of(recordId);
        if (receipt.isEmpty()) {
            return notAnchoredYet();
        }
        return Response.ok(ReceiptJson.write(receipt.get()), MediaType.APPLICATION_JSON)
                .header("Cache-Control", cacheControl(receipt.get())).build();
    }

    /** The receipt's inclusion proof alone, as the C2SP tlog-proof file it carries, checkable with any tlog-proof verifier. */
    @GET
    @Path("/{recordId}/tlog-proof")
    @Produces({"application/octet-stream", Problem.MEDIA_TYPE})
    @Operation(summary = "Receipt as a C2SP .tlog-proof file", description = "The leaf data is the 32-byte record digest.")
    public Response tlogProof(@PathParam("recordId") String recordId) {
        Optional<Receipt> receipt = receipts.of(recordId);
        if (receipt.isEmpty()) {
            return notAnchoredYet();
        }
        return Response.ok(receipt.get().tlogProof().getBytes(StandardCharsets.UTF_8))
                .header("Cache-Control", cacheControl(receipt.get()))
                .header("Content-Disposition", "attachment; filename=\"" + recordId + ".tlog-proof\"")
                .header("X-Tracemark-Leaf-Data", receipt.get().record().digest())
                .build();
    }

    /** Cached long only once the note carries as many signatures as verifiers require. */
    private String cacheControl(Receipt r) {
        return r.verifierKeyNames().size() >= trust.current().threshold() ? COSIGNED : CACHE;
    }

    private static Response notAnchoredYet() {
        return Response.fromResponse(Problem.of("not-anchored-yet", 404, "Record is not anchored yet")
                        .detail("Anchoring normally completes within a second; retry shortly.")
                        .retriable(true).toResponse())
                .header("Retry-After", "1").build();
    }
}
