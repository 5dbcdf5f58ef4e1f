package io.tracemark.attest.intake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.contracts.Json;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventTypes;

/** The {@code record.accepted} event of an anchor request: raised once its leaf is on its way to the ledger. */
public final class AcceptedEvents {
    private AcceptedEvents() {
    }

    /** {@code record.accepted} with data {@code {recordId, type, digest, acceptedAt}}; the id depends on the record alone. */
    public static Event of(AnchorRequest a) {
        ObjectNode data = Json.MAPPER.createObjectNode().put("recordId", a.recordId()).put("type", a.type())
                .put("digest", a.digest()).put("acceptedAt", a.acceptedAt().toString());
        return new Event(Event.idOf(EventTypes.RECORD_ACCEPTED, a.recordId()), EventTypes.RECORD_ACCEPTED, a.acceptedAt(),
                a.tenant(), a.gtins(), a.work() == null ? null : a.work().sha256(), data);
    }
}
