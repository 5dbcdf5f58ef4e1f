package io.tracemark.verify.verification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.canonical.CanonicalJson;
import io.tracemark.verify.anchoring.AnchorLookup;
import io.tracemark.verify.anchoring.Anchoring;
import io.tracemark.verify.receipts.ReceiptAssembler;
import io.tracemark.verify.receipts.RecordIds;
import io.tracemark.verify.receipts.RecordsView;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bson.Document;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code POST /v1/verify}: every check on a receipt, each with a stable code and result, and a verdict. */
@Path("/v1/verify")
@Blocking
public class VerifyResource {
    private static final Set<String> FIELDS = Set.of("receipt", "recordId", "record", "canonical", "file", "fileSha256");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ReceiptVerifier verifier;
    @Inject
    RecordsView view;
    @Inject
    AnchorLookup anchors;
    @Inject
    ReceiptAssembler assembler;
    @Inject
    BundleVerifier bundles;

    /** Verifies a receipt (or the current receipt of {@code recordId}), optionally against the caller's record or file. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Verify a receipt", description = "Body: {receipt} (the flat receipt of GET /v1/receipts/{id} "
            + "or the tracemark.dev/receipt@v1 bundle of GET /v1/receipts/{id}/bundle) or {recordId}, optionally record (the "
            + "record JSON, canonicalised here), canonical (its canonical text), file (base64) or fileSha256. Returns "
            + "checks with stable codes (record.digest.match, inclusion.proof.valid, checkpoint.signature.valid, "
            + "checkpoint.consistent, timestamp.token.valid, record.superseded, claim.prior.exists, …) and a verdict.")
    public Response verify(JsonNode body) {
        Problem.Builder invalid = Problem.of("validation", 400, "Invalid verification request").retriable(false);
        if (body == null || !body.isObject()) {
            throw new ProblemException(invalid.field("", "type.object", "the body is a JSON object").build());
        }
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
        JsonNode receipt = body.has("receipt") ? body.get("receipt") : receiptOf(body.get("recordId"));
        if (BundleVerifier.isBundle(receipt)) {
            return Response.ok(bundles.verify(receipt, body)).header("Cache-Control", "no-store").build();
        }
        ReceiptInput input = ReceiptInput.parse(receipt);
        Verdict v = verifier.verify(input, callerCanonical(body), FileCheck.of(body, input));
        return Response.ok(v).header("Cache-Control", "no-store").build();
    }

    private JsonNode receiptOf(JsonNode id) {
        if (id == null || !id.isTextual() || !RecordIds.isValid(id.asText())) {
            throw RecordIds.notFound();
        }
        Document record = view.record(id.asText()).orElseThrow(RecordIds::notFound);
        String digest = record.getString("digest");
        Anchoring anchoring = (digest == null ? Optional.<Anchoring>empty() : anchors.anchoring(digest))
                .orElseThrow(() -> new ProblemException(Problem.of("not-anchored-yet", 404, "Record is not anchored yet")
                        .retriable(true).build()));
        Map<String, Object> r = assembler.receipt(record, anchoring);
        return JSON.valueToTree(r);
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
