package io.tracemark.localstack.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventTypes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one tenant's events on {@code tracemark.events} say about a load run, record by record: when each
 * was accepted and anchored, at which leaf, and its receipt. An event id seen again (at-least-once
 * delivery, a replay after a crash) is counted as a redelivery, never as a second record.
 */
final class RunEvents {
    private static final int EXAMPLES = 5;
    private final String tenant;
    private final Map<String, Track> records = new HashMap<>();
    private final Set<String> eventIds = new HashSet<>();
    private final Map<String, Long> distinctByType = new TreeMap<>();
    private final List<String> rejections = new ArrayList<>();
    private long redelivered;
    private long reanchored;
    private long accepted;
    private long anchored;
    private long rejected;
    private long underSigned;

    /** One record as its events describe it; fields stay null / -1 until the event that carries them arrives. */
    private static final class Track {
        Instant acceptedAt;
        Instant anchoredAt;
        /** When its record.anchored event reached the event log (the Kafka record's timestamp). */
        Instant loggedAt;
        String digest;
        long leafIndex = -1;
        byte[] receipt;
        boolean underSigned;
    }

    /**
     * A record's {@code record.anchored} facts, with its receipt bundle as UTF-8 JSON (null if the event had none).
     */
    record Anchored(String recordId, String digest, long leafIndex, Instant anchoredAt, byte[] receipt, boolean underSigned) {
        /** An anchored record whose event carried every expected signature. */
        Anchored(String recordId, String digest, long leafIndex, Instant anchoredAt, byte[] receipt) {
            this(recordId, digest, leafIndex, anchoredAt, receipt, false);
        }
    }

    /**
     * The run as the events tell it.
     *
     * @param distinctRecords   record ids named by any accepted or anchored event
     * @param accepted          records with a {@code record.accepted} event
     * @param anchoredRecords   records with a {@code record.anchored} event, by id
     * @param redeliveredEvents events whose id had been seen before
     * @param reanchored        records anchored again at a different leaf index (a second leaf)
     * @param underSigned       anchored events whose checkpoint had fewer signatures than expected
     * @param latenciesMs       accepted → its record.anchored event on the event log, per anchored record, sorted
     * @param sealedMs          accepted → the block that appended it was cut ({@code anchoredAt}), sorted: the part
     *                          of the latency before the replicas' copies, the witnesses and the receipts
     * @param lastAnchoredAt    when the last record.anchored event reached the event log
     * @param eventsByType      distinct events by type
     */
    record Result(long distinctRecords, long accepted, Map<String, Anchored> anchoredRecords, long rejected,
                  List<String> rejections, long redeliveredEvents, long reanchored, long underSigned,
                  List<Long> latenciesMs, List<Long> sealedMs, Instant lastAnchoredAt, Map<String, Long> eventsByType) {

        /** Records with a {@code record.anchored} event. */
        long anchored() {
            return anchoredRecords.size();
        }
    }

    RunEvents(String tenant) {
        this.tenant = tenant;
    }

    /** Takes one decoded event that reached the event log at {@code loggedAt}; events of other tenants are ignored. */
    synchronized void add(Event e, Instant loggedAt) {
        if (!tenant.equals(e.tenant())) {
            return;
        }
        if (!eventIds.add(e.id())) {
            redelivered++;
            if (EventTypes.RECORD_ANCHORED.equals(e.type())) {
                // Same id, yet possibly a different leaf: only the content tells a replay from a second anchoring.
                checkLeaf(e.data());
            }
            return;
        }
        distinctByType.merge(e.type(), 1L, Long::sum);
        JsonNode d = e.data();
        switch (e.type()) {
            case EventTypes.RECORD_ACCEPTED -> {
                Track t = track(d);
                if (t != null && t.acceptedAt == null) {
                    t.acceptedAt = instant(d.path("acceptedAt"), e.timestamp());
                    t.digest = t.digest == null ? d.path("digest").asText(null) : t.digest;
                    accepted++;
                }
            }
            case EventTypes.RECORD_ANCHORED -> {
                Track t = track(d);
                if (t == null) {
                    return;
                }
                if (checkLeaf(d) || t.anchoredAt != null) {
                    return;
                }
                anchored++;
                t.anchoredAt = instant(d.path("anchoredAt"), e.timestamp());
                t.loggedAt = loggedAt;
                t.leafIndex = d.path("leafIndex").asLong(-1);
                t.digest = d.path("digest").asText(t.digest);
                JsonNode receipt = d.get("receipt");
                t.receipt = receipt == null || receipt.isNull() ? null : receipt.toString().getBytes(StandardCharsets.UTF_8);
                if (t.acceptedAt == null && receipt != null) {
                    // Should record.accepted come later (or never), the receipt still says when ingest accepted it.
                    t.acceptedAt = instant(receipt.path("record").path("acceptedAt"), null);
                }
                if (d.path("signatures").asInt(0) < d.path("expectedSignatures").asInt(0)) {
                    underSigned++;
                    t.underSigned = true;
                }
            }
            case EventTypes.RECORD_REJECTED -> {
                rejected++;
                if (rejections.size() < EXAMPLES) {
                    String text = d.toString();
                    rejections.add(text.length() > 300 ? text.substring(0, 300) + "…" : text);
                }
            }
            default -> {
                // Test messages, claim conflicts, disabled endpoints: counted by type only.
            }
        }
    }

    /** Whether the event anchors an already anchored record at another leaf (counted once per such event). */
    private boolean checkLeaf(JsonNode d) {
        Track t = records.get(d.path("recordId").asText(""));
        long leaf = d.path("leafIndex").asLong(-1);
        if (t != null && t.leafIndex >= 0 && leaf >= 0 && leaf != t.leafIndex) {
            reanchored++;
            return true;
        }
        return false;
    }

    private Track track(JsonNode d) {
        String id = d.path("recordId").asText(null);
        return id == null ? null : records.computeIfAbsent(id, k -> new Track());
    }

    private static Instant instant(JsonNode n, Instant fallback) {
        try {
            return n.isTextual() ? Instant.parse(n.asText()) : fallback;
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    /** Records with a {@code record.anchored} event so far. */
    synchronized long anchoredCount() {
        return anchored;
    }

    /** Records refused so far ({@code record.rejected}); they will never be anchored. */
    synchronized long rejectedCount() {
        return rejected;
    }

    /** Records with a {@code record.accepted} event so far. */
    synchronized long acceptedCount() {
        return accepted;
    }

    /** Distinct {@code record.accepted} and {@code record.anchored} events so far (what a subscriber to both gets). */
    synchronized long recordEvents() {
        return distinctByType.getOrDefault(EventTypes.RECORD_ACCEPTED, 0L)
                + distinctByType.getOrDefault(EventTypes.RECORD_ANCHORED, 0L);
    }

    /** A snapshot of everything seen so far. */
    synchronized Result result() {
        Map<String, Anchored> done = new HashMap<>();
        List<Long> latencies = new ArrayList<>();
        List<Long> sealed = new ArrayList<>();
        Instant last = null;
        for (Map.Entry<String, Track> e : records.entrySet()) {
            Track t = e.getValue();
            if (t.anchoredAt == null) {
                continue;
            }
            done.put(e.getKey(), new Anchored(e.getKey(), t.digest, t.leafIndex, t.anchoredAt, t.receipt, t.underSigned));
            if (t.acceptedAt != null) {
                latencies.add(Duration.between(t.acceptedAt, t.loggedAt).toMillis());
                sealed.add(Duration.between(t.acceptedAt, t.anchoredAt).toMillis());
            }
            if (last == null || t.loggedAt.isAfter(last)) {
                last = t.loggedAt;
            }
        }
        Collections.sort(latencies);
        Collections.sort(sealed);
        return new Result(records.size(), accepted, Map.copyOf(done), rejected, List.copyOf(rejections), redelivered,
                reanchored, underSigned, List.copyOf(latencies), List.copyOf(sealed), last, Map.copyOf(distinctByType));
    }
}
