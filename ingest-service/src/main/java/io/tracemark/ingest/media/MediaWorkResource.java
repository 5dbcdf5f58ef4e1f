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
import org.eclipse.microprofile.openapi.annotations.Operation;
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
@Path("/v1/works")
@RequiresRole(Role.WRITE)
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
    @Operation(summary = "Register a media work by its SHA-256")
    public Response register(@HeaderParam("Idempotency-Key") String idempotencyKey,
                             @QueryParam("visibility") String visibility, byte[] raw) {
        JsonBodies.checkIdempotencyKey(idempotencyKey);
        JsonNode body = JsonBodies.parse(raw, maxJsonBytes);
        return IntakeResponses.of(intake.accept(tenant.tenant(),
                List.of(new IntakeRequest(MediaWorkType.NAME, idempotencyKey, body).withVisibility(visibility))).get(0));
    }

    /** Registers a work with its file: SHA-256, size and (JPEG, PNG, WebP) pHash are measured here. */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Register a media work with its file uploaded")
    public Response upload(@HeaderParam("Idempotency-Key") String idempotencyKey, @QueryParam("visibility") String visibility,
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
