package io.tracemark.ingest.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One record as submitted, over HTTP or Kafka, before validation.
 *
 * @param measured   facts the service measured itself (e.g. an uploaded file's SHA-256 and perceptual
 *                   hash), never taken from the client; null when there are none
 * @param visibility who may read the record's content ({@code public} or {@code private}); null for its type's default
 */
public record IntakeRequest(String type, String idempotencyKey, JsonNode payload, ObjectNode measured, String visibility) {

    /** A request with facts measured by the service and its type's default visibility. */
    public IntakeRequest(String type, String idempotencyKey, JsonNode payload, ObjectNode measured) {
        this(type, idempotencyKey, payload, measured, null);
    }

    /** The same request with the visibility the client asked for (null: the type's default). */
    public IntakeRequest withVisibility(String v) {
        return new IntakeRequest(type, idempotencyKey, payload, measured, v);
    }

    /** A request with nothing measured by the service. */
    public IntakeRequest(String type, String idempotencyKey, JsonNode payload) {
        this(type, idempotencyKey, payload, null, null);
    }
}
