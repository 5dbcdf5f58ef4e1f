package io.tracemark.attest.anchoring;

import java.time.Instant;

/** A request from ingest to anchor one stored record's digest. */
public record AnchorRequest(String recordId, String tenant, String type, String digest, Instant acceptedAt) {
}
