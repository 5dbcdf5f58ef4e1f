package io.tracemark.contracts.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a consumer needs to route an event without parsing its body: everything {@link EventCodec#headers}
 * and the message key carry. Webhook fan-out filters on it and sends the message value unchanged as the body.
 *
 * @param id        the event id
 * @param type      one of {@link EventTypes}
 * @param timestamp when the change happened
 * @param tenant    the tenant (the message key)
 * @param gtins     GTIN-14s the event concerns
 * @param work      the media work's file SHA-256, or {@code null}
 * @param recordId  the record the event is about ({@code data.recordId}), or {@code null}
 */
public record EventRouting(String id, String type, Instant timestamp, String tenant, List<String> gtins, String work,
                           String recordId) {
    public EventRouting {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(tenant, "tenant");
        gtins = gtins == null ? List.of() : List.copyOf(gtins);
    }

    /** The routing facts of a decoded event. */
    public static EventRouting of(Event e) {
        return new EventRouting(e.id(), e.type(), e.timestamp(), e.tenant(), e.gtins(), e.work(), EventCodec.recordIdOf(e));
    }

    /** The record whose receipt (and so, unless erased or private, whose content) the event carries, or null. */
    public String recordWithContent() {
        return EventTypes.RECORD_ANCHORED.equals(type) ? recordId : null;
    }
}
