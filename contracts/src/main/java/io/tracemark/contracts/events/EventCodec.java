package io.tracemark.contracts.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Kafka form of an {@link Event}: key = tenant; value = the body webhooks deliver,
 * {@code {"id","type","timestamp","tenant","data"}}; headers {@value #TYPE_HEADER}, {@value #ID_HEADER},
 * {@value #TIME_HEADER} and, for filters, {@value #GTINS_HEADER} (comma-separated) and {@value #WORK_HEADER}:
 * with the key they make an {@link EventRouting}, so a consumer routes events without parsing their bodies.
 */
public final class EventCodec {
    /** Header with the event type, so consumers can filter without parsing the value. */
    public static final String TYPE_HEADER = "tracemark-event-type";
    /** Header with the event id. */
    public static final String ID_HEADER = "tracemark-event-id";
    /** Header with the event's timestamp (ISO-8601), so routing needs no body parse. */
    public static final String TIME_HEADER = "tracemark-event-time";
    /** Header with the record the event is about ({@code data.recordId}), when it is about one. */
    public static final String RECORD_HEADER = "tracemark-record-id";
    /** Header with the GTINs the event concerns, comma-separated. */
    public static final String GTINS_HEADER = "tracemark-gtins";
    /** Header with the media work's file SHA-256. */
    public static final String WORK_HEADER = "tracemark-work";

    /** Writes characters outside the BMP as 4-byte UTF-8, as {@code JsonNode.toString} did, not as escapes. */
    private static final ObjectWriter UTF8 = Json.MAPPER.writer().with(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8);

    private EventCodec() {
    }

    /** The message key: the tenant, so each tenant's events stay in order on one partition. */
    public static String key(Event e) {
        return e.tenant();
    }

    /** The tenant a message key names ({@link #key}), or {@code null} for a message without a key. */
    public static String tenantOf(byte[] key) {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    /** The message value: the JSON body as delivered. */
    public static byte[] value(Event e) {
        try {
            // Straight to UTF-8: a record.anchored body carries a whole receipt, and going through a String
            // (JsonNode.toString) then encoding it cost a tenth of attest's CPU per record.
            return UTF8.writeValueAsBytes(body(e, null));
        } catch (JsonProcessingException ex) {
            throw new ContractViolation("event.json", "event " + e.id() + " cannot be written as JSON: " + ex.getOriginalMessage(), ex);
        }
    }

    /** The delivered body, with the pull cursor's {@code cursor} member when {@code cursor} is not null. */
    public static ObjectNode body(Event e, String cursor) {
        ObjectNode n = Json.MAPPER.createObjectNode().put("id", e.id()).put("type", e.type())
                .put("timestamp", e.timestamp().toString()).put("tenant", e.tenant());
        if (cursor != null) {
            n.put("cursor", cursor);
        }
        n.set("data", e.data());
        return n;
    }

    /** The message headers, in order. */
    public static Map<String, byte[]> headers(Event e) {
        Map<String, byte[]> h = new LinkedHashMap<>();
        h.put(TYPE_HEADER, e.type().getBytes(StandardCharsets.UTF_8));
        h.put(ID_HEADER, e.id().getBytes(StandardCharsets.UTF_8));
        h.put(TIME_HEADER, e.timestamp().toString().getBytes(StandardCharsets.UTF_8));
        String record = recordIdOf(e);
        if (record != null) {
            h.put(RECORD_HEADER, record.getBytes(StandardCharsets.UTF_8));
        }
        if (!e.gtins().isEmpty()) {
            h.put(GTINS_HEADER, String.join(",", e.gtins()).getBytes(StandardCharsets.UTF_8));
        }
        if (e.work() != null) {
            h.put(WORK_HEADER, e.work().getBytes(StandardCharsets.UTF_8));
        }
        return h;
    }

    /**
     * The routing facts of a message from its key and headers alone, or {@code null} when a header is missing
     * (a message written before {@link #TIME_HEADER} existed): the caller then {@link #decode}s the value.
     */
    public static EventRouting routing(byte[] key, Function<String, byte[]> header) {
        byte[] id = header.apply(ID_HEADER);
        byte[] type = header.apply(TYPE_HEADER);
        byte[] time = header.apply(TIME_HEADER);
        if (key == null || id == null || type == null || time == null) {
            return null;
        }
        Instant ts;
        try {
            ts = Instant.parse(new String(time, StandardCharsets.UTF_8));
        } catch (DateTimeParseException e) {
            throw new ContractViolation("event.timestamp", "header " + TIME_HEADER + " is not an ISO-8601 instant", e);
        }
        byte[] record = header.apply(RECORD_HEADER);
        return new EventRouting(new String(id, StandardCharsets.UTF_8), new String(type, StandardCharsets.UTF_8), ts,
                tenantOf(key), gtinsOf(header), workOf(header), record == null ? null : new String(record, StandardCharsets.UTF_8));
    }

    /** The record an event is about: its {@code data.recordId} when that is a string. */
    static String recordIdOf(Event e) {
        JsonNode r = e.data().get("recordId");
        return r != null && r.isTextual() ? r.asText() : null;
    }

    private static List<String> gtinsOf(Function<String, byte[]> header) {
        byte[] g = header.apply(GTINS_HEADER);
        return g == null || g.length == 0 ? List.of()
                : new ArrayList<>(Arrays.asList(new String(g, StandardCharsets.UTF_8).split(",")));
    }

    private static String workOf(Function<String, byte[]> header) {
        byte[] w = header.apply(WORK_HEADER);
        return w == null ? null : new String(w, StandardCharsets.UTF_8);
    }

    /** Decodes a message from its value and a header lookup (last value of a header name, or null). */
    public static Event decode(byte[] value, Function<String, byte[]> header) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(value);
        } catch (IOException e) {
            throw new ContractViolation("event.json", "not JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject() || !n.path("data").isObject()) {
            throw new ContractViolation("event.fields", "an event is a JSON object with a data object");
        }
        for (String field : new String[]{"id", "type", "tenant"}) {
            if (!n.path(field).isTextual() || n.path(field).asText().isEmpty()) {
                throw new ContractViolation("event.fields", "an event needs a non-empty string " + field);
            }
        }
        Instant ts;
        try {
            ts = Instant.parse(n.path("timestamp").asText());
        } catch (DateTimeParseException e) {
            throw new ContractViolation("event.timestamp", "timestamp is not an ISO-8601 instant", e);
        }
        try {
            return new Event(n.path("id").asText(null), n.path("type").asText(null), ts, n.path("tenant").asText(null),
                    gtinsOf(header), workOf(header), n.get("data"));
        } catch (NullPointerException e) {
            throw new ContractViolation("event.fields", "an event needs id, type, timestamp and tenant: " + e.getMessage(), e);
        }
    }
}
