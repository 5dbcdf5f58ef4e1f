package io.tracemark.verify.verification;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.canonical.CanonicalJson;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.verify.receipts.Receipts;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;

/** {@code POST /v1/verify}: every check on a receipt, each with a stable code and result, and a verdict. */
@Tag(name = "verification", description = "Receipt verification with stable check codes")
@Path("/v1/verify")
@Blocking
public class VerifyResource {
    private static final Set<String> FIELDS = Set.of("receipt", "recordId", "record", "canonical", "file", "fileSha256");

    @Inject
    Receipts receipts;
    @Inject
    Verdicts verdicts;

    /** Verifies a receipt (or the current receipt of {@code recordId}), optionally against the caller's record or file. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(operationId = "verifyReceipt", summary = "Verify a receipt", description = "Body: {receipt} (the tracemark.dev/receipt@v1 receipt of "
            + "GET /v1/receipts/{id}) or {recordId}, optionally record (the record JSON, canonicalised here), canonical "
            + "(its canonical text), file (base64) or fileSha256. Returns checks with the stable codes of the proofs "
            + "verifier (receipt.format.valid, record.digest.match, record.fields.match, leaf.index.match, "
            + "checkpoint.signature.valid, inclusion.proof.valid, block.header.valid, timestamp.token.valid, "
            + "timestamp.authorities.valid) and the "
            + "online ones (record.supplied.match, file.digest.match, checkpoint.consistent, record.superseded, "
            + "claim.prior.exists), and a verdict.")
    @APIResponse(responseCode = "200", description = "Every check and the verdict (valid, valid-with-warnings, invalid or "
            + "indeterminate); an unreadable receipt is an invalid verdict, not an error",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Verdict.class)))
    @APIResponse(responseCode = "400", description = "Unknown, missing or conflicting members (type validation)")
    @APIResponse(responseCode = "404", description = "recordId is not anchored yet (type not-anchored-yet, retriable)")
    @APIResponse(responseCode = "411", description = "A JSON body without Content-Length (type length-required)")
    @APIResponse(responseCode = "503", description = "The ledger cannot be reached (type chain-unavailable)")
    public Response verify(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = VerifyRequest.class), examples = @ExampleObject(name = "by record id",
            value = "{\"recordId\":\"01JDX3K8Q9V5T2M4N6P8R0S1W3\"}"))) JsonNode body) {
        Problem.Builder invalid = Problem.of("validation", 400, "Invalid verification request").retriable(false);
        if (body == null || !body.isObject()) {
            throw new ProblemException(invalid.field("", "type.object", "the body is a JSON object").build());
        }
        // A member sent as null is absent, as generated clients send every optional member they were not given.
        body = JsonBodies.withoutNulls(body);
        boolean ok = true;
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                invalid.field("/" + f, "field.unknown", "unknown field '" + f + "'");
                ok = false;
            }
        }
        if (body.has("receipt") == body.has("recordId")) {
            invalid.field("/receipt", "receipt.missing", "give exactly one of receipt or recordId");
            ok = false;
        }
        if (body.has("record") && body.has("canonical") || body.has("file") && body.has("fileSha256")) {
            invalid.field("/record", "record.ambiguous", "give at most one of record/canonical and one of file/fileSha256");
            ok = false;
        }
        if (!ok) {
            throw new ProblemException(invalid.build());
        }
        Verdict v;
        if (body.has("receipt")) {
            Receipt r;
            try {
                r = ReceiptJson.read(body.get("receipt"));
            } catch (IllegalArgumentException e) {
                return answer(Verdicts.unreadable(e.getMessage()));
            }
            v = verdicts.verify(r, callerCanonical(body), body);
        } else {
            JsonNode id = body.get("recordId");
            Receipt r = receipts.of(id.isTextual() ? id.asText() : "").orElseThrow(() -> new ProblemException(
                    Problem.of("not-anchored-yet", 404, "Record is not anchored yet").retriable(true).build()));
            v = verdicts.verify(r, callerCanonical(body), body);
        }
        return answer(v);
    }

    private static Response answer(Verdict v) {
        return Response.ok(v).header("Cache-Control", "no-store").build();
    }

    private static String callerCanonical(JsonNode body) {
        try {
            if (body.has("record")) {
                return new String(CanonicalJson.canonicalize(body.get("record")), StandardCharsets.UTF_8);
            }
        } catch (ProofException e) {
            throw new ProblemException(Problem.of("validation", 400, "Invalid verification request").retriable(false)
                    .field("/record", "record.not-canonicalizable", e.getMessage()).build());
        }
        JsonNode c = body.get("canonical");
        if (c != null && !c.isTextual()) {
            throw new ProblemException(Problem.of("validation", 400, "Invalid verification request").retriable(false)
                    .field("/canonical", "canonical.invalid", "canonical is the record's canonical JSON text").build());
        }
        return c == null ? null : c.asText();
    }
}
