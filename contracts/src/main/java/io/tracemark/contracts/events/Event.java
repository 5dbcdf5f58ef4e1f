package io.tracemark.contracts.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One event of {@code tracemark.events}, the event store: the pull cursor reads it and webhooks consume it.
 * Keyed by tenant, so one tenant's events keep their order (one partition each).
 *
 * @param id        public id, {@code evt_} + 24 hex digits, deterministic: the same state change always gets
 *                  the same id ({@link #idOf}), so a replay after a crash repeats ids rather than inventing new ones
 * @param type      one of {@link EventTypes}
 * @param timestamp when the change happened
 * @param tenant    the tenant the event belongs to
 * @param gtins     GTIN-14s the event concerns, for webhook filters (not part of the delivered body)
 * @param work      the media work's file SHA-256 it concerns, for webhook filters, or {@code null}
 * @param data      the type's payload object
 */
public record Event(String id, String type, Instant timestamp, String tenant, List<String> gtins, String work,
                    JsonNode data) {
    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(data, "data");
        gtins = gtins == null ? List.of() : List.copyOf(gtins);
    }

    /** The deterministic id of event {@code type} about {@code subject} (a record id, or a test message id). */
    public static String idOf(String type, String subject) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((type + ":" + subject).getBytes(StandardCharsets.UTF_8));
            return "evt_" + HexFormat.of().formatHex(h, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
