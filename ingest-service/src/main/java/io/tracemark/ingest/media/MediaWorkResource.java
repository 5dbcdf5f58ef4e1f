package io.tracemark.ingest.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.common.annotation.Blocking;
import io.tracemark.edge.auth.CurrentTenant;
import io.tracemark.edge.auth.RequiresRole;
import io.tracemark.edge.auth.Role;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import io.tracemark.ingest.http.IntakeResponses;
import io.tracemark.ingest.http.JsonBodies;
import io.tracemark.ingest.records.IntakeRequest;
import io.tracemark.ingest.records.RecordIntake;
import io.tracemark.proofs.media.ImageException;
import io.tracemark.proofs.media.ImageFiles;
import io.tracemark.proofs.media.PerceptualHash;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import io.tracemark.contracts.http.ApiContractFilter;
import io.tracemark.ingest.http.RecordAccepted;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Registers media works: metadata with the file's SHA-256 as JSON, or metadata plus the file as
 * multipart/form-data (parts {@code metadata} and {@code file}); an upload is streamed to disk by
 * the HTTP layer and hashed from there, never held in memory whole.
 */
@Tag(name = "works", description = "Media works (copyright claims)")
@Path("/v1/works")
@RequiresRole(Role.WRITE)
@SecurityRequirement(name = ApiContractFilter.SECURITY_SCHEME)
@Blocking
public class MediaWorkResource {
    @Inject
    RecordIntake intake;
    @Inject
    CurrentTenant tenant;
    @ConfigProperty(name = "tracemark.ingest.max-record-bytes")
    long maxJsonBytes;
    @ConfigProperty(name = "tracemark.ingest.works.max-file-bytes")
    long maxFileBytes;

    /** Registers a work whose file the client hashed itself. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(operationId = "registerMediaWork", summary = "Register a media work",
            description = "As JSON with the file's sha256 (hashed by the client; the claim may be signed with Ed25519 or "
                    + "ES256), or as multipart/form-data with parts 'metadata' (the same JSON without sha256) and 'file', "
                    + "whose SHA-256, size and, for JPEG, PNG and WebP, 64-bit pHash are measured here.")
    @APIResponse(responseCode = "201", description = "Stored and queued for anchoring; Location is the record",
            headers = @Header(name = "Location", description = "The record's status URL", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RecordAccepted.class)))
    @APIResponse(responseCode = "200", description = "A retry with the same Idempotency-Key: the record stored the first time",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RecordAccepted.class)))
    @APIResponse(responseCode = "409", description = "The Idempotency-Key was used for another body (type idempotency-conflict), "
            + "or the tenant already has this record (type duplicate-record, with the record as member 'existing')")
    @APIResponse(responseCode = "422", description = "The record is invalid (type validation), with field-level errors")
    @APIResponse(responseCode = "503", description = "The record store is unavailable (type store-unavailable); retry after "
            + "Retry-After with the same Idempotency-Key",
            headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)))
    public Response register(@Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, description = "1 to 200 printable ASCII characters; "
            + "a retry with the same key and body returns the first answer", example = "order-4711-batch-1")
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @Parameter(name = "visibility", in = ParameterIn.QUERY, description = "public or private: whether the public "
                    + "API shows the record's canonical text and salt (the type's default when absent)", example = "public")
            @QueryParam("visibility") String visibility,
            @RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MediaWorkInput.class),
                            examples = @ExampleObject(name = "work", value = "{\"title\":\"Dawn over the harbour\","
                                    + "\"creators\":[\"Alice Example\"],\"mediaType\":\"image/png\","
                                    + "\"sha256\":\"3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b\"}")),
                    @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = MediaWorkInput.Upload.class))})
            byte[] raw) {
        JsonBodies.checkIdempotencyKey(idempotencyKey);
        JsonNode body = JsonBodies.parse(raw, maxJsonBytes);
        return IntakeResponses.of(intake.accept(tenant.tenant(),
                List.of(new IntakeRequest(MediaWorkType.NAME, idempotencyKey, body).withVisibility(visibility))).get(0));
    }

    /** Registers a work with its file: SHA-256, size and (JPEG, PNG, WebP) pHash are measured here. */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    // Same operation as register in the OpenAPI document, which has one POST per path: its body is the multipart variant.
    @Operation(hidden = true)
    public Response upload(@Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, description = "1 to 200 printable ASCII characters; "
            + "a retry with the same key and body returns the first answer", example = "order-4711-batch-1")
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @Parameter(name = "visibility", in = ParameterIn.QUERY, description = "public or private: whether the public "
                    + "API shows the record's canonical text and salt (the type's default when absent)", example = "public")
            @QueryParam("visibility") String visibility,
                           @RestForm("metadata") String metadata, @RestForm("file") FileUpload file) throws IOException {
        JsonBodies.checkIdempotencyKey(idempotencyKey);
        if (file == null || file.uploadedFile() == null) {
            throw new ProblemException(Problem.of("validation", 422, "Record is invalid")
                    .field("/file", "file.required", "the multipart part 'file' is required").retriable(false).build());
        }
        if (file.size() > maxFileBytes) {
            throw JsonBodies.tooLarge("The file", file.size(), maxFileBytes);
        }
        JsonNode meta = JsonBodies.parse(metadata == null ? null : metadata.getBytes(StandardCharsets.UTF_8), maxJsonBytes);
        ObjectNode measured = JsonNodeFactory.instance.objectNode()
                .put("sha256", sha256(file.uploadedFile()))
                .put("size", file.size());
        Optional<String> image = ImageFiles.sniff(file.uploadedFile());
        if (image.isPresent()) {
            measured.put("detectedMediaType", image.get());
            try {
                measured.put("phash", PerceptualHash.hex(ImageFiles.phash(file.uploadedFile())));
            } catch (ImageException e) {
                throw new ProblemException(Problem.of("validation", 422, "Record is invalid")
                        .field("/file", e.code(), e.getMessage()).retriable(false).build());
            }
        }
        return IntakeResponses.of(intake.accept(tenant.tenant(),
                List.of(new IntakeRequest(MediaWorkType.NAME, idempotencyKey, meta, measured).withVisibility(visibility))).get(0));
    }

    private static String sha256(java.nio.file.Path f) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(f), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
