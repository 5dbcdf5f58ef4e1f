package io.tracemark.ingest.records;

import com.fasterxml.jackson.databind.JsonNode;

/** One record as submitted, over HTTP or Kafka, before validation. */
public record IntakeRequest(String type, String idempotencyKey, JsonNode payload) {
}
