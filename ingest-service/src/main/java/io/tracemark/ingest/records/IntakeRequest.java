package io.tracemark.ingest.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One record as submitted, over HTTP or Kafka, before validation.
 *
 * @param measured facts the service measured itself (e.g. an uploaded file's SHA-256 and perceptual
 *                 hash), never taken from the client; null when there are none
 */
public record IntakeRequest(String type, String idempotencyKey, JsonNode payload, ObjectNode measured) {

    /** A request with nothing measured by the service. */
    public IntakeRequest(String type, String idempotencyKey, JsonNode payload) {
        this(type, idempotencyKey, payload, null);
    }
}
