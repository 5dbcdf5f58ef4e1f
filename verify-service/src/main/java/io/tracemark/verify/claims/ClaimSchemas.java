package io.tracemark.verify.claims;

import io.tracemark.verify.records.RegistrationView;
import io.tracemark.contracts.http.ApiContractFilter;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * The published shapes of the claim endpoints. {@link ClaimResource} reads the query as a JSON tree so that it
 * can name every unknown member, and writes {@link ClaimFinder.Result#toJson()}; these records describe both
 * for the OpenAPI document and generated clients.
 */
public final class ClaimSchemas {
    private ClaimSchemas() {
    }

    /** A claim by fingerprint. */
    @Schema(name = "ClaimQuery", description = "sha256, phash or both. Unknown members are refused.",
            additionalProperties = Schema.False.class)
    public record Query(
            @Schema(description = "File SHA-256, hex", pattern = "^[0-9a-fA-F]{64}$",
                    example = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b") String sha256,
            @Schema(description = "64-bit DCT perceptual hash, 16 hex digits", pattern = "^[0-9a-fA-F]{16}$",
                    example = "c3a1f0e07c3e1f0f") String phash,
            @Schema(description = "The tenant claiming the work; the answer says whether it has priority", example = "alice") String claimant,
            @Schema(description = "Largest pHash Hamming distance of a near-duplicate", minimum = "0", maximum = "16",
                    example = "10") Integer threshold) {
    }

    /** A claim by the form of {@code POST /v1/works}. */
    @Schema(name = "ClaimUpload", description = "The multipart form a work is registered with; only the file is used")
    public record Upload(@Schema(required = true, type = SchemaType.STRING, format = "binary", description = "The file") String file,
                         @Schema(description = "The work's registration metadata (JSON); accepted and ignored") String metadata) {
    }

    /** What was searched. */
    @Schema(name = "ClaimQueryEcho")
    public record Echo(@Schema(nullable = true) String sha256, @Schema(nullable = true) String phash,
                       @Schema(required = true) int threshold) {
    }

    /** A registration that matched, exactly or as a near-duplicate. */
    @Schema(name = "ClaimMatch", description = "A Registration, with how it matched")
    public record Match(@Schema(required = true) String recordId,
                        @Schema(required = true, example = "alice") String tenant,
                        @Schema(required = true, example = "media.work") String type,
                        @Schema(required = true, pattern = "^[0-9a-f]{64}$") String digest,
                        @Schema(required = true, format = "date-time") String receivedAt,
                        @Schema(required = true) RegistrationView.Anchor anchor,
                        String receiptUrl,
                        Map<String, Object> keys,
                        @Schema(format = "date-time") String erasedAt,
                        @Schema(required = true, enumeration = {"public", "private", "erased"}) String content,
                        @Schema(required = true, enumeration = {"exact", "near"}) String match,
                        @Schema(description = "pHash Hamming distance, for near-duplicates") Integer distance) {
    }

    /** The answer to a claim. */
    @Schema(name = "ClaimAnswer")
    public record Answer(@Schema(required = true) Echo query,
                         @Schema(required = true) List<Match> exactMatches,
                         @Schema(required = true) List<Match> nearDuplicates,
                         @Schema(description = "Earliest anchored (or received) match; null without matches",
                                 extensions = @Extension(name = ApiContractFilter.NULLABLE, value = "true")) Match priority,
                         @Schema(required = true, description = "Whether the priority registration is anchored") boolean priorityProven,
                         String claimant,
                         Boolean claimantHasPriority,
                         @Schema(required = true, description = "Matches registered by other tenants than the priority's") List<Match> conflicts,
                         @Schema(required = true, description = "Works whose pHash distance was computed in the index") int candidatesExamined,
                         @Schema(description = "Present (true) when more works matched than an answer lists "
                                 + "(tracemark.verify.claims.max-matches); the closest are listed") Boolean candidatesTruncated,
                         @Schema(description = "For a file claim: its size in bytes") Long fileSize,
                         @Schema(description = "For a file claim: why only exact matches were searched") String note) {
    }
}
