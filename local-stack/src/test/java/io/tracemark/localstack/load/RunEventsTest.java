package io.tracemark.localstack.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventTypes;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RunEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static Event accepted(String tenant, String record, long atMs) {
        ObjectNode d = JSON.createObjectNode().put("recordId", record).put("type", "product.batch")
                .put("digest", "d-" + record).put("acceptedAt", T0.plusMillis(atMs).toString());
        return new Event(Event.idOf(EventTypes.RECORD_ACCEPTED, record), EventTypes.RECORD_ACCEPTED, T0.plusMillis(atMs),
                tenant, List.of(), null, d);
    }

    private static Event anchored(String record, long leaf, long atMs, int signatures) {
        ObjectNode d = JSON.createObjectNode().put("recordId", record).put("type", "product.batch").put("digest", "d-" + record)
                .put("leafIndex", leaf).put("blockHeight", 1).put("treeSize", leaf + 1)
                .put("anchoredAt", T0.plusMillis(atMs).toString()).put("signatures", signatures).put("expectedSignatures", 2);
        d.putObject("receipt").put("format", "tracemark.dev/receipt@v1").putObject("record").put("id", record);
        return new Event(Event.idOf(EventTypes.RECORD_ANCHORED, record), EventTypes.RECORD_ANCHORED, T0.plusMillis(atMs),
                "t", List.of(), null, d);
    }

    /** Adds an event as the event log would hand it over: accepted ones at once, anchored ones {@code LOGGED} after the block. */
    private static void add(RunEvents r, Event e) {
        r.add(e, e.type().equals(EventTypes.RECORD_ANCHORED) ? e.timestamp().plusMillis(LOGGED) : e.timestamp());
    }

    private static final long LOGGED = 100;

    @Test
    void tracksEachRecordOnceAndCountsRedeliveriesApart() throws Exception {
        RunEvents r = new RunEvents("t");
        add(r, accepted("t", "A", 0));
        add(r, accepted("t", "B", 10));
        add(r, accepted("other", "X", 0));
        add(r, anchored("A", 7, 400, 2));
        add(r, anchored("A", 7, 400, 2));
        add(r, accepted("t", "A", 0));
        add(r, anchored("B", 8, 1010, 1));
        RunEvents.Result res = r.result();
        assertEquals(2, res.distinctRecords());
        assertEquals(2, res.accepted());
        assertEquals(2, res.anchored());
        assertEquals(2, res.redeliveredEvents());
        assertEquals(0, res.reanchored());
        assertEquals(1, res.underSigned());
        assertEquals(List.of(500L, 1100L), res.latenciesMs(), "accepted → record.anchored on the event log");
        assertEquals(List.of(400L, 1000L), res.sealedMs(), "accepted → the block's time");
        assertEquals(T0.plusMillis(1010 + LOGGED), res.lastAnchoredAt());
        assertEquals(7, res.anchoredRecords().get("A").leafIndex());
        assertArrayEquals(JSON.writeValueAsBytes(JSON.readTree(res.anchoredRecords().get("A").receipt())),
                res.anchoredRecords().get("A").receipt());
        assertEquals(4, r.recordEvents());
    }

    @Test
    void aRecordAnchoredAtASecondLeafIsCountedAndAnchoredWithoutAcceptedUsesTheReceiptsAcceptedAt() {
        RunEvents r = new RunEvents("t");
        add(r, accepted("t", "A", 0));
        add(r, anchored("A", 7, 400, 2));
        add(r, anchored("A", 9, 900, 2));
        Event late = anchored("C", 10, 2000, 2);
        ((ObjectNode) late.data().path("receipt").path("record")).put("acceptedAt", T0.plusMillis(500).toString());
        add(r, late);
        RunEvents.Result res = r.result();
        assertEquals(1, res.reanchored());
        assertEquals(7, res.anchoredRecords().get("A").leafIndex());
        assertEquals(List.of(500L, 1600L), res.latenciesMs());
        assertEquals(1, res.accepted());
    }
}
