package io.tracemark.ingest.media;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * The published schema of {@code POST /v1/works} (JSON) and of the {@code metadata} part of an upload. The
 * endpoint reads the body's bytes strictly and {@link MediaWorkType} validates them; this record only
 * describes them for the OpenAPI document and generated clients.
 */
@Schema(name = "MediaWork", description = "A media work claim. Unknown members are refused.",
        additionalProperties = Schema.False.class)
public record MediaWorkInput(
        @Schema(required = true, minLength = 1, maxLength = 500, example = "Dawn over the harbour") String title,
        @Schema(description = "1 to 50 names", minItems = 1, maxItems = 50, example = "[\"Alice Example\"]") List<String> creators,
        @Schema(maxLength = 200, example = "Alice Example") String rightsHolder,
        @Schema(maxLength = 200, example = "CC-BY-4.0") String licence,
        @Schema(description = "Registered media type; checked against an uploaded file", example = "image/png") String mediaType,
        @Schema(maxLength = 5000) String description,
        @Schema(description = "Lower-case hex SHA-256 of the file; required unless the file is uploaded",
                pattern = "^[0-9a-f]{64}$", example = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b") String sha256,
        @Schema(description = "The claimant's signature over the JCS canonical claim without this member") Signature signature) {

    /** A detached signature over the claim. */
    @Schema(name = "MediaWorkSignature")
    public record Signature(@Schema(required = true, enumeration = {"Ed25519", "ES256"}) String alg,
                            @Schema(required = true, format = "byte", description = "base64 public key") String publicKey,
                            @Schema(required = true, format = "byte", description = "base64 signature") String value) {
    }

    /** The multipart form of an upload: the metadata JSON and the file. */
    @Schema(name = "MediaWorkUpload")
    public record Upload(
            @Schema(required = true, description = "The MediaWork JSON, without sha256 (measured here)",
                    example = "{\"title\":\"Dawn over the harbour\",\"creators\":[\"Alice Example\"]}") String metadata,
            @Schema(required = true, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                    format = "binary", description = "The file; JPEG, PNG and WebP images also get a pHash") String file) {
    }
}
