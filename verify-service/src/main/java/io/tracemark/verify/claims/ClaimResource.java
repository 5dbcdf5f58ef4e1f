package io.tracemark.verify.claims;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import io.tracemark.proofs.media.PerceptualHash;
import io.tracemark.verify.verification.JsonBodies;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Copyright claim verification: who registered this file, or something that looks like it, first. */
@Tag(name = "claims", description = "Copyright claim verification")
@Path("/v1/claims/verify")
@Blocking
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class ClaimResource {
    /** Largest threshold served: radius 4 per chunk already probes about 10,000 index buckets. */
    static final int MAX_THRESHOLD = 16;
    private static final Set<String> FIELDS = Set.of("sha256", "phash", "claimant", "threshold");

    @Inject
    ClaimFinder finder;
    @Inject
    FileFingerprint fingerprints;
    @ConfigProperty(name = "tracemark.verify.claims.phash-threshold")
    int defaultThreshold;

    /** Claim by fingerprint: a file SHA-256 and/or a 64-bit pHash (16 hex digits). */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "verifyClaim", summary = "Verify a claim by fingerprint or by file", description = "Exact "
            + "matches by file SHA-256 and near-duplicates by pHash Hamming distance, their registrants, anchor times and "
            + "receipts, who has priority (earliest anchored) and whether the claimant is that registrant. Send a JSON "
            + "fingerprint query, or the file itself (application/octet-stream or an image type, or the multipart/form-data "
            + "form that POST /v1/works takes, with claimant and threshold as query parameters): it is hashed and then "
            + "discarded. Matches are found in an in-memory index of every registered work.")
    @Parameter(name = "claimant", in = ParameterIn.QUERY, description = "File claims: the tenant claiming the work", example = "alice",
            schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "threshold", in = ParameterIn.QUERY, description = "File claims: largest pHash Hamming distance of a "
            + "near-duplicate", schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "16"))
    @APIResponse(responseCode = "200", description = "Matches, priority and conflicts",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ClaimSchemas.Answer.class)))
    @APIResponse(responseCode = "400", description = "Unknown or malformed members, or threshold out of range (type validation)")
    @APIResponse(responseCode = "411", description = "A JSON body without Content-Length (type length-required)")
    @APIResponse(responseCode = "413", description = "The file is larger than the service checks (type payload-too-large)")
    @APIResponse(responseCode = "503", description = "The index of registered works is being built (type claims-index-loading); "
            + "retry after Retry-After", headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)))
    public Map<String, Object> byFingerprint(@RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ClaimSchemas.Query.class),
                    examples = @ExampleObject(name = "file hash", value = "{\"sha256\":"
                            + "\"3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b\",\"claimant\":\"alice\"}")),
            @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM, schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/*", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = ClaimSchemas.Upload.class))})
                                             JsonNode body) {
        Problem.Builder invalid = Problem.of("validation", 400, "Invalid claim query").retriable(false);
        boolean ok = body != null && body.isObject();
        if (!ok) {
            throw new ProblemException(invalid.field("", "type.object", "the body is a JSON object").build());
        }
        // A member sent as null is absent, as generated clients send every optional member they were not given.
        body = JsonBodies.withoutNulls(body);
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                invalid.field("/" + f, "field.unknown", "unknown field '" + f + "'");
                ok = false;
            }
        }
        String sha = text(body, "sha256");
        String phash = text(body, "phash");
        if (sha != null && !sha.matches("[0-9a-fA-F]{64}")) {
            invalid.field("/sha256", "sha256.invalid", "sha256 is 64 hex digits");
            ok = false;
        }
        if (phash != null && !phash.matches("[0-9a-fA-F]{16}")) {
            invalid.field("/phash", "phash.invalid", "phash is 16 hex digits (a 64-bit DCT perceptual hash)");
            ok = false;
        }
        if (sha == null && phash == null) {
            invalid.field("/sha256", "fingerprint.missing", "give sha256, phash or both");
            ok = false;
        }
        JsonNode t = body.get("threshold");
        if (t != null && (!t.isInt() || t.asInt() < 0 || t.asInt() > MAX_THRESHOLD)) {
            invalid.field("/threshold", "threshold.invalid", "threshold is an integer from 0 to " + MAX_THRESHOLD);
            ok = false;
        }
        JsonNode c = body.get("claimant");
        if (c != null && !c.isTextual()) {
            invalid.field("/claimant", "claimant.invalid", "claimant is a tenant id");
            ok = false;
        }
        if (!ok) {
            throw new ProblemException(invalid.build());
        }
        int threshold = t == null ? defaultThreshold : t.asInt();
        Long p = phash == null ? null : PerceptualHash.parse(phash.toLowerCase());
        String s = sha == null ? null : sha.toLowerCase();
        return answer(s, p, threshold, c == null ? null : c.asText());
    }

    /** Claim by file: the bytes are streamed and hashed here; images also get a pHash. Nothing is stored. */
    @POST
    @Consumes({MediaType.APPLICATION_OCTET_STREAM, "image/*"})
    // Same operation as byFingerprint in the OpenAPI document, which has one POST per path: its body is the file variant.
    @Operation(hidden = true)
    public Map<String, Object> byFile(InputStream file, @QueryParam("claimant") String claimant,
                                      @QueryParam("threshold") Integer threshold) {
        if (threshold != null && (threshold < 0 || threshold > MAX_THRESHOLD)) {
            throw new ProblemException(Problem.of("validation", 400, "Invalid claim query").retriable(false)
                    .field("/threshold", "threshold.invalid", "threshold is an integer from 0 to " + MAX_THRESHOLD).build());
        }
        FileFingerprint.Fingerprint fp = fingerprints.of(file);
        Map<String, Object> out = answer(fp.sha256(), fp.phash(), threshold == null ? defaultThreshold : threshold, claimant);
        out.put("fileSize", fp.size());
        if (fp.unhashable() != null) {
            out.put("note", "the image could not be hashed (" + fp.unhashable() + "), so only exact matches were searched");
        } else if (fp.phash() == null) {
            out.put("note", "the file is not an image this service can decode, so only exact matches were searched");
        }
        return out;
    }

    /**
     * Claim by the form a work is registered with ({@code POST /v1/works}): part {@code file}, and {@code metadata},
     * which is accepted so the same form can be sent and otherwise ignored: a claim is about the file.
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    // Same operation as byFingerprint in the OpenAPI document: its body is the multipart variant.
    @Operation(hidden = true)
    public Map<String, Object> byForm(@RestForm("file") FileUpload file, @QueryParam("claimant") String claimant,
                                      @QueryParam("threshold") Integer threshold) {
        if (file == null || file.uploadedFile() == null) {
            throw new ProblemException(Problem.of("validation", 400, "Invalid claim query").retriable(false)
                    .field("/file", "file.required", "the multipart part 'file' is required").build());
        }
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            return byFile(in, claimant, threshold);
        } catch (IOException e) {
            throw new ProblemException(Problem.of("upload-failed", 400, "The upload could not be read").retriable(true).build());
        }
    }

    private Map<String, Object> answer(String sha256, Long phash, int threshold, String claimant) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("sha256", sha256);
        query.put("phash", phash == null ? null : PerceptualHash.hex(phash));
        query.put("threshold", threshold);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("query", query);
        out.putAll(finder.find(sha256, phash, threshold, claimant).toJson());
        return out;
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null) {
            return null;
        }
        // A non-string becomes "", which then fails the field's format check with a precise error.
        return n.isTextual() ? n.asText() : "";
    }
}
