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

    @Test
    void tracksEachRecordOnceAndCountsRedeliveriesApart() throws Exception {
        RunEvents r = new RunEvents("t");
        r.add(accepted("t", "A", 0));
        r.add(accepted("t", "B", 10));
        r.add(accepted("other", "X", 0));
        r.add(anchored("A", 7, 400, 2));
        r.add(anchored("A", 7, 400, 2));
        r.add(accepted("t", "A", 0));
        r.add(anchored("B", 8, 1010, 1));
        RunEvents.Result res = r.result();
        assertEquals(2, res.distinctRecords());
        assertEquals(2, res.accepted());
        assertEquals(2, res.anchored());
        assertEquals(2, res.redeliveredEvents());
        assertEquals(0, res.reanchored());
        assertEquals(1, res.underSigned());
        assertEquals(List.of(400L, 1000L), res.latenciesMs());
        assertEquals(T0.plusMillis(1010), res.lastAnchoredAt());
        assertEquals(7, res.anchoredRecords().get("A").leafIndex());
        assertArrayEquals(JSON.writeValueAsBytes(JSON.readTree(res.anchoredRecords().get("A").receipt())),
                res.anchoredRecords().get("A").receipt());
        assertEquals(4, r.recordEvents());
    }

    @Test
    void aRecordAnchoredAtASecondLeafIsCountedAndAnchoredWithoutAcceptedUsesTheReceiptsAcceptedAt() {
        RunEvents r = new RunEvents("t");
        r.add(accepted("t", "A", 0));
        r.add(anchored("A", 7, 400, 2));
        r.add(anchored("A", 9, 900, 2));
        Event late = anchored("C", 10, 2000, 2);
        ((ObjectNode) late.data().path("receipt").path("record")).put("acceptedAt", T0.plusMillis(500).toString());
        r.add(late);
        RunEvents.Result res = r.result();
        assertEquals(1, res.reanchored());
        assertEquals(7, res.anchoredRecords().get("A").leafIndex());
        assertEquals(List.of(400L, 1500L), res.latenciesMs());
        assertEquals(1, res.accepted());
    }
}
