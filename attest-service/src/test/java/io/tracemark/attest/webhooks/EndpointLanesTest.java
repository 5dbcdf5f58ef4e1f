package io.tracemark.attest.webhooks;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class EndpointLanesTest {
    private static Document message(String id) {
        return new Document("_id", id);
    }

    @Test
    void anEndpointTakesAsManyMessagesAsItsCapAndTheRestWaitInOrder() {
        EndpointLanes.Lane lane = new EndpointLanes(2).of("ep_a");
        Document m1 = message("1");
        Document m2 = message("2");
        Document m3 = message("3");
        Document m4 = message("4");
        assertSame(m1, lane.admit(m1));
        assertSame(m2, lane.admit(m2));
        assertNull(lane.admit(m3), "over the cap: waits");
        assertNull(lane.admit(m4));
        assertSame(m3, lane.release(), "a freed permit passes to the oldest waiting message");
        assertSame(m4, lane.release());
        assertNull(lane.release(), "nothing waits: the permit is returned");
        Document m5 = message("5");
        assertSame(m5, lane.admit(m5), "the returned permit is free again");
    }

    @Test
    void aFullEndpointDoesNotHoldUpAnother() {
        EndpointLanes lanes = new EndpointLanes(1);
        Document slow = message("slow");
        assertSame(slow, lanes.of("ep_slow").admit(slow));
        assertNull(lanes.of("ep_slow").admit(message("queued")));
        Document other = message("other");
        assertSame(other, lanes.of("ep_other").admit(other));
    }

    @Test
    void afterAPauseAReleaseOfAnOldAttemptDoesNotRaiseTheNewLanesCap() {
        EndpointLanes lanes = new EndpointLanes(1);
        EndpointLanes.Lane old = lanes.of("ep_a");
        Document inFlight = message("in-flight");
        assertSame(inFlight, old.admit(inFlight));
        lanes.clear();
        EndpointLanes.Lane fresh = lanes.of("ep_a");
        Document first = message("first");
        assertSame(first, fresh.admit(first));
        assertNull(old.release(), "the old attempt ends into its own lane");
        assertNull(fresh.admit(message("second")), "the new lane still has one permit, taken");
    }
}
