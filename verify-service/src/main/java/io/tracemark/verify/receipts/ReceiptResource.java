package io.tracemark.verify.receipts;

import io.smallrye.common.annotation.Blocking;
import io.tracemark.edge.problem.Problem;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.receipt.ReceiptVerifier;
import io.tracemark.verify.chain.TrustPolicy;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Public receipts: everything needed to check a record's anchoring without trusting this service. */
@Tag(name = "receipts", description = "Offline-verifiable receipts")
@Path("/v1/receipts")
@Blocking
public class ReceiptResource {
    @Inject
    Receipts receipts;
    @Inject
    TrustPolicy trust;

    /** The receipt of an anchored record, format {@code tracemark.dev/receipt@v1}. */
    @GET
    @Path("/{recordId}")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(operationId = "getReceipt", summary = "Receipt of an anchored record (tracemark.dev/receipt@v1)", description = "The record's "
            + "canonical bytes and digest, a C2SP tlog-proof of its leaf against the checkpoint of the block that first "
            + "included it, that block's hash-chained header, the RFC 3161 token over the same checkpoint and the freshest "
            + "witness evidence (a witnessed checkpoint extending it, with the consistency proof), or why there is none. Verifiable "
            + "offline with the proofs CLI (`java -jar proofs-cli.jar receipt receipt.json --keys keys.json`) or "
            + "POST /v1/verify.")
    @APIResponse(responseCode = "200", description = "The receipt",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Receipt.class)))
    @APIResponse(responseCode = "404", description = "Not anchored yet or unknown (type not-anchored-yet, retriable after Retry-After)",
            headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)))
    @APIResponse(responseCode = "503", description = "The ledger cannot be reached or lags (type chain-unavailable or chain-lagging)")
    public Response receipt(@Parameter(example = "01JDX3K8Q9V5T2M4N6P8R0S1W3") @PathParam("recordId") String recordId) {
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
    @Operation(operationId = "getReceiptTlogProof", summary = "Receipt as a C2SP .tlog-proof file", description = "The leaf data is the 32-byte record digest.")
    @APIResponse(responseCode = "200", description = "The .tlog-proof file",
            headers = @Header(name = "X-Tracemark-Leaf-Data", description = "The leaf data: the record digest, hex",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = "application/octet-stream", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "Not anchored yet or unknown (type not-anchored-yet, retriable after Retry-After)",
            headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)))
    @APIResponse(responseCode = "503", description = "The ledger cannot be reached or lags (type chain-unavailable or chain-lagging)")
    public Response tlogProof(@Parameter(example = "01JDX3K8Q9V5T2M4N6P8R0S1W3") @PathParam("recordId") String recordId) {
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

    /**
     * Cached long only once the receipt verifies with every signature the trust policy requires (checkpoint signatures
     * and time-stamp come from the policy's memo, once per checkpoint). Counting the note's signature lines instead
     * would count a witness's cosignature as a replica's and a receipt cosigned by one witness of two as witnessed.
     */
    private String cacheControl(Receipt r) {
        TrustPolicy.Snapshot policy = trust.current();
        return ReceiptCaching.of(ReceiptVerifier.verify(r, policy.verification(), policy.memo()),
                !policy.witnesses().witnesses().isEmpty());
    }

    private static Response notAnchoredYet() {
        return Response.fromResponse(Problem.of("not-anchored-yet", 404, "Record is not anchored yet")
                        .detail("Anchoring normally completes within a second; retry shortly.")
                        .retriable(true).toResponse())
                .header("Retry-After", "1").build();
    }
}
