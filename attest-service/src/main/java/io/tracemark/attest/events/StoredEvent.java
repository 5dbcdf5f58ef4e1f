package io.tracemark.attest.events;

import java.time.Instant;

/**
 * A recorded event.
 *
 * @param id     public event id ({@code evt_…}), stable for the same state change
 * @param seq    position in the event log; the pull cursor
 * @param json   the event as delivered: {@code {"id","type","timestamp","tenant","cursor","data"}}
 */
public record StoredEvent(String id, long seq, String tenant, String type, Instant time, String json, String gtin,
                          String work) {
}
