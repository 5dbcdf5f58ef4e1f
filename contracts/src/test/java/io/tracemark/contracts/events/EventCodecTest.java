package io.tracemark.contracts.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Kafka form of an event (key tenant, JSON body value, filter headers): round trips, the wire form, refusals. */
class EventCodecTest {
    private static final String FILE_SHA = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final Instant AT = Instant.parse("2024-05-01T12:34:56.789Z");

    private static final Event ACCEPTED = new Event(Event.idOf(EventTypes.RECORD_ACCEPTED, "rec_1"),
            EventTypes.RECORD_ACCEPTED, AT, "acme", List.of("09506000134352", "04012345000009"), null,
            object("{\"recordId\":\"rec_1\",\"type\":\"product.batch\"}"));
    private static final Event CONFLICT = new Event(Event.idOf(EventTypes.CLAIM_CONFLICT, "rec_2"),
            EventTypes.CLAIM_CONFLICT, AT, "studio", List.of(), FILE_SHA,
            object("{\"recordId\":\"rec_2\",\"conflictsWith\":{\"recordId\":\"rec_0\",\"distance\":3}}"));

    // --- round trips ---------------------------------------------------------------------------------

    @Test
    void eventWithGtinsRoundTripsThroughValueAndHeaders() {
        assertEquals(ACCEPTED, roundTrip(ACCEPTED));
    }

    @Test
    void eventWithWorkRoundTripsThroughValueAndHeaders() {
        assertEquals(CONFLICT, roundTrip(CONFLICT));
    }

    @Test
    void eventWithoutGtinsOrWorkRoundTripsAndSendsNoFilterHeaders() {
        Event e = new Event(Event.idOf(EventTypes.WEBHOOK_TEST, "msg_1"), EventTypes.WEBHOOK_TEST, AT, "acme", null,
                null, object("{}"));
        assertEquals(List.of(EventCodec.TYPE_HEADER, EventCodec.ID_HEADER, EventCodec.TIME_HEADER),
                List.copyOf(EventCodec.headers(e).keySet()));
        Event back = roundTrip(e);
        assertEquals(e, back);
        assertEquals(List.of(), back.gtins());
        assertNull(back.work());
    }

    @Test
    void nanosecondTimestampAndUnicodeTenantRoundTrip() {
        Event e = new Event(Event.idOf(EventTypes.RECORD_ANCHORED, "rec_🙂"), EventTypes.RECORD_ANCHORED,
                Instant.parse("2024-05-01T12:34:56.123456789Z"), "Ünïcødé-テナント", List.of("09506000134352"), null,
                object("{\"recordId\":\"rec_🙂\",\"receipt\":{\"leafIndex\":41}}"));
        assertEquals(e, roundTrip(e));
    }

    // --- wire form -----------------------------------------------------------------------------------

    @Test
    void keyIsTheTenant() {
        assertEquals("acme", EventCodec.key(ACCEPTED));
        assertEquals("studio", EventCodec.key(CONFLICT));
        assertEquals("Ünï-テナント", EventCodec.tenantOf(EventCodec.key(new Event(ACCEPTED.id(), ACCEPTED.type(),
                ACCEPTED.timestamp(), "Ünï-テナント", ACCEPTED.gtins(), ACCEPTED.work(), ACCEPTED.data()))
                .getBytes(StandardCharsets.UTF_8)));
        assertNull(EventCodec.tenantOf(null));
    }

    @Test
    void valueIsTheDeliveredBodyExactly() {
        String expected = "{\"id\":\"" + ACCEPTED.id() + "\",\"type\":\"record.accepted\","
                + "\"timestamp\":\"2024-05-01T12:34:56.789Z\",\"tenant\":\"acme\","
                + "\"data\":{\"recordId\":\"rec_1\",\"type\":\"product.batch\"}}";
        assertEquals(expected, new String(EventCodec.value(ACCEPTED), StandardCharsets.UTF_8));
    }

    @Test
    void bodyWithCursorPutsTheCursorBeforeData() {
        assertEquals(List.of("id", "type", "timestamp", "tenant", "cursor", "data"),
                List.copyOf(iterable(EventCodec.body(ACCEPTED, "c_42"))));
        assertEquals("c_42", EventCodec.body(ACCEPTED, "c_42").get("cursor").asText());
    }

    @Test
    void headersCarryTypeIdGtinsAndWorkInOrder() {
        Map<String, byte[]> h = EventCodec.headers(ACCEPTED);
        assertEquals(List.of(EventCodec.TYPE_HEADER, EventCodec.ID_HEADER, EventCodec.TIME_HEADER, EventCodec.RECORD_HEADER,
                        EventCodec.GTINS_HEADER),
                List.copyOf(h.keySet()));
        assertEquals("record.accepted", utf8(h.get(EventCodec.TYPE_HEADER)));
        assertEquals(ACCEPTED.id(), utf8(h.get(EventCodec.ID_HEADER)));
        assertEquals("09506000134352,04012345000009", utf8(h.get(EventCodec.GTINS_HEADER)));
        Map<String, byte[]> w = EventCodec.headers(CONFLICT);
        assertEquals(List.of(EventCodec.TYPE_HEADER, EventCodec.ID_HEADER, EventCodec.TIME_HEADER, EventCodec.RECORD_HEADER,
                        EventCodec.WORK_HEADER),
                List.copyOf(w.keySet()));
        assertEquals(FILE_SHA, utf8(w.get(EventCodec.WORK_HEADER)));
    }

    @Test
    void decodeToleratesUnknownBodyFields() {
        ObjectNode n = tree(ACCEPTED);
        n.put("cursor", "c_42").put("apiVersion", "2024-05-01");
        assertEquals(ACCEPTED, EventCodec.decode(bytes(n), EventCodec.headers(ACCEPTED)::get));
    }

    // --- invalid fixtures ----------------------------------------------------------------------------

    @Test
    void dataThatIsNotAnObjectIsRefused() {
        assertCode("event.fields", n -> n.put("data", "rec_1"));
        assertCode("event.fields", n -> n.putArray("data").add(1));
        assertCode("event.fields", n -> n.putNull("data"));
        assertCode("event.fields", n -> n.remove("data"));
    }

    @Test
    void badTimestampIsRefused() {
        assertCode("event.timestamp", n -> n.put("timestamp", "yesterday"));
        assertCode("event.timestamp", n -> n.put("timestamp", "2024-05-01 12:34:56Z"));
        assertCode("event.timestamp", n -> n.put("timestamp", 1714566896789L));
        assertCode("event.timestamp", n -> n.remove("timestamp"));
    }

    @Test
    void missingIdTypeOrTenantIsRefused() {
        assertCode("event.fields", n -> n.remove("id"));
        assertCode("event.fields", n -> n.remove("type"));
        assertCode("event.fields", n -> n.remove("tenant"));
        assertCode("event.fields", n -> n.putNull("tenant"));
    }

    @Test
    void notJsonIsRefused() {
        assertEquals("event.json", violation("{\"id\":".getBytes(StandardCharsets.UTF_8)).code());
        assertEquals("event.json", violation("evt_123".getBytes(StandardCharsets.UTF_8)).code());
    }

    @Test
    void jsonArrayIsRefused() {
        assertEquals("event.fields", violation(("[" + utf8(EventCodec.value(ACCEPTED)) + "]")
                .getBytes(StandardCharsets.UTF_8)).code());
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static Event roundTrip(Event e) {
        Map<String, byte[]> headers = EventCodec.headers(e);
        return EventCodec.decode(EventCodec.value(e), headers::get);
    }

    private static JsonNode object(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode tree(Event e) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(EventCodec.value(e));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static List<String> iterable(ObjectNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ObjectNode n) {
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ContractViolation violation(byte[] value) {
        return assertThrows(ContractViolation.class, () -> EventCodec.decode(value, name -> null));
    }

    private static void assertCode(String code, Consumer<ObjectNode> mutation) {
        ObjectNode n = tree(ACCEPTED);
        EventCodec.decode(bytes(n), name -> null); // the fixture is valid before the mutation
        mutation.accept(n);
        ContractViolation v = violation(bytes(n));
        assertEquals(code, v.code(), () -> n + " -> " + v.getMessage());
    }

    @Test
    void routingFromKeyAndHeadersAloneMatchesTheDecodedEvent() {
        for (Event e : List.of(ACCEPTED, CONFLICT)) {
            Map<String, byte[]> h = EventCodec.headers(e);
            EventRouting r = EventCodec.routing(EventCodec.key(e).getBytes(StandardCharsets.UTF_8), h::get);
            assertEquals(EventRouting.of(e), r);
            assertEquals(EventRouting.of(EventCodec.decode(EventCodec.value(e), h::get)), r);
        }
    }

    @Test
    void routingIsAbsentForAMessageWrittenBeforeTheTimeHeader() {
        Map<String, byte[]> h = new HashMap<>(EventCodec.headers(ACCEPTED));
        h.remove(EventCodec.TIME_HEADER);
        assertNull(EventCodec.routing("acme".getBytes(StandardCharsets.UTF_8), h::get));
    }

    @Test
    void refusesARoutingTimeHeaderThatIsNotAnInstant() {
        Map<String, byte[]> h = new HashMap<>(EventCodec.headers(ACCEPTED));
        h.put(EventCodec.TIME_HEADER, "yesterday".getBytes(StandardCharsets.UTF_8));
        ContractViolation v = assertThrows(ContractViolation.class,
                () -> EventCodec.routing("acme".getBytes(StandardCharsets.UTF_8), h::get));
        assertEquals("event.timestamp", v.code());
    }

    @Test
    void valueIsTheCompactUtf8OfTheBodyIncludingNonAsciiText() {
        Event e = new Event(Event.idOf(EventTypes.RECORD_ACCEPTED, "rec_9"), EventTypes.RECORD_ACCEPTED, AT, "acme", null,
                null, object("{\"title\":\"Caf\u00e9 \u2713 \ud834\udd1e\",\"n\":1.5,\"q\":\"a\\\"b\"}"));
        assertEquals(EventCodec.body(e, null).toString(), new String(EventCodec.value(e), StandardCharsets.UTF_8));
    }

    @Test
    void routingNamesTheRecordWhoseReceiptAnAnchoredEventCarries() {
        Event anchored = new Event(Event.idOf(EventTypes.RECORD_ANCHORED, "rec_7"), EventTypes.RECORD_ANCHORED, AT, "acme",
                null, null, object("{\"recordId\":\"rec_7\",\"receipt\":{\"record\":{}}}"));
        EventRouting r = EventCodec.routing("acme".getBytes(StandardCharsets.UTF_8), EventCodec.headers(anchored)::get);
        assertEquals("rec_7", r.recordId());
        assertEquals("rec_7", r.recordWithContent());
        EventRouting accepted = EventCodec.routing("acme".getBytes(StandardCharsets.UTF_8), EventCodec.headers(ACCEPTED)::get);
        assertEquals("rec_1", accepted.recordId());
        assertNull(accepted.recordWithContent(), "record.accepted carries no receipt");
    }
}
