package io.tracemark.contracts.anchor;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * ingest → attest on {@code tracemark.anchor-requests} (key = record id): anchor one stored record's digest.
 *
 * @param recordId   the record's id in the records collection
 * @param tenant     the registering tenant
 * @param type       record type ({@code product.batch}, {@code epcis.event}, {@code media.work})
 * @param digest     the record digest, 64 lowercase hex: the RFC 9162 leaf data
 * @param acceptedAt when ingest stored the record (millisecond precision, as the store keeps it)
 * @param gtins      GTIN-14s the record concerns (none for works), for event filters
 * @param work       for media works, the file's identity for claim conflicts, else {@code null}
 * @param content    the salt and canonical text the digest was computed over, as stored, so that attest builds
 *                   receipts without reading the records back; {@code null} when the sender does not have them
 *                   (attest then reads the store)
 */
public record AnchorRequest(String recordId, String tenant, String type, String digest, Instant acceptedAt,
                            List<String> gtins, Work work, Content content) {
    public AnchorRequest {
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
        gtins = gtins == null ? List.of() : List.copyOf(gtins);
    }

    /** A request without the record's content. */
    public AnchorRequest(String recordId, String tenant, String type, String digest, Instant acceptedAt,
                         List<String> gtins, Work work) {
        this(recordId, tenant, type, digest, acceptedAt, gtins, work, null);
    }

    /** The same request carrying the record's content. */
    public AnchorRequest withContent(Content c) {
        return new AnchorRequest(recordId, tenant, type, digest, acceptedAt, gtins, work, c);
    }

    /**
     * Identity of a media work, compared across tenants for claim conflicts.
     *
     * @param sha256 SHA-256 of the file bytes, 64 lowercase hex
     * @param phash  64-bit perceptual hash as 16 hex digits, or {@code null} when the file is not an image
     */
    public record Work(String sha256, String phash) {
    }

    /**
     * What the digest covers: {@code SHA-256(canonical)}, where the canonical RFC 8785 envelope embeds the salt.
     *
     * @param salt      the record's salt, as stored
     * @param canonical the canonical envelope text, as stored
     */
    public record Content(String salt, String canonical) {
        public Content {
            Objects.requireNonNull(salt, "salt");
            Objects.requireNonNull(canonical, "canonical");
        }
    }
}
