package io.tracemark.attest.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.contracts.Json;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.contracts.records.RecordContent;

import java.io.IOException;

/**
 * Takes an erased record's content out of an event: a {@code record.anchored} event carries the record's receipt,
 * and the receipt its canonical text and salt. The redacted receipt keeps digest and proofs, as a receipt of an
 * erased record does, and still verifies; {@code data.contentErased} says why the text is missing. Pure.
 */
public final class Redaction {
    /** Member of an event's data set on redacted events. */
    public static final String CONTENT_ERASED = "contentErased";

    private Redaction() {
    }

    /** The record whose content the event carries, or null when it carries none. */
    public static String recordWithContent(Event e) {
        if (!EventTypes.RECORD_ANCHORED.equals(e.type()) || !e.data().path("receipt").path("record").isObject()) {
            return null;
        }
        return e.data().path("recordId").asText(null);
    }

    /** The event with the receipt's canonical text and salt removed. */
    public static Event redact(Event e) {
        ObjectNode data = e.data().deepCopy();
        strip(data);
        return new Event(e.id(), e.type(), e.timestamp(), e.tenant(), e.gtins(), e.work(), data);
    }

    /** A delivered body ({@code {id, type, timestamp, tenant, data}}) with the receipt's content removed. */
    public static String redactBody(String body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n instanceof ObjectNode o && o.get("data") instanceof ObjectNode data) {
                strip(data);
                return o.toString();
            }
            return body;
        } catch (IOException e) {
            throw new IllegalStateException("an event body that is not JSON: " + e.getMessage(), e);
        }
    }

    private static void strip(ObjectNode data) {
        if (data.path("receipt").path("record") instanceof ObjectNode record) {
            record.remove(RecordContent.CANONICAL);
            record.remove(RecordContent.SALT);
            data.put(CONTENT_ERASED, true);
        }
    }
}
