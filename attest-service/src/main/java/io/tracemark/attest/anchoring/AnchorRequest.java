package io.tracemark.attest.anchoring;

import java.time.Instant;

/**
 * A request from ingest to anchor one stored record's digest.
 *
 * @param work for media works, the file's SHA-256 (hex) and 64-bit perceptual hash (hex), else {@code null}
 */
public record AnchorRequest(String recordId, String tenant, String type, String digest, Instant acceptedAt, Work work) {
    /** Identity of a media work, compared across tenants for claim conflicts. */
    public record Work(String sha256, String phash) {
    }
}
