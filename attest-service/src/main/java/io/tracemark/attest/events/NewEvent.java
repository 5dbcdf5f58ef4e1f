package io.tracemark.attest.events;

import java.time.Instant;

/**
 * An event about to be recorded.
 *
 * @param key      natural key of the state change, e.g. {@code record.anchored:<recordId>}; the same change
 *                 reported twice (a redelivery) has the same key and is recorded once
 * @param tenant   the tenant the event belongs to
 * @param type     event type, e.g. {@code record.accepted}
 * @param time     when the change happened
 * @param dataJson the event's {@code data} object as JSON text
 * @param gtin     GTIN of the record the event is about, for webhook filters, or {@code null}
 * @param work     SHA-256 of the media work the event is about, for webhook filters, or {@code null}
 */
public record NewEvent(String key, String tenant, String type, Instant time, String dataJson, String gtin, String work) {
}
