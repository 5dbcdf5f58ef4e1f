package io.tracemark.verify.records;

import io.tracemark.contracts.records.RecordContent;
import io.tracemark.contracts.records.RecordKeys;
import io.tracemark.verify.anchoring.Anchoring;
import org.bson.Document;

import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The public view of one registration: who registered what, when it was received and when (and
 * where in the log) it was anchored; {@code anchoring} is null while it is not. Its index keys are shown only
 * when its content is public.
 */
public record Registration(Document record, Anchoring anchoring) {
    /** State of a record whose digest is in a sealed block with written facts. */
    public static final String ANCHORED = "anchored";
    /** Content anyone may read. */
    public static final String PUBLIC = RecordContent.PUBLIC;
    /** Content only its registrant reads. */
    public static final String PRIVATE = RecordContent.PRIVATE;
    /** Content its registrant erased. */
    public static final String ERASED = "erased";
    /** State of a record stored by ingest and not anchored yet (ingest's own status for it). */
    public static final String ACCEPTED = "accepted";

    /**
     * Anchored registrations first, in log order (leaf index: what nobody can reorder, and what {@code claim.conflict}
     * events rank by too); the rest by receipt time.
     */
    public static final Comparator<Registration> PRIORITY = Comparator
            .comparing((Registration r) -> !r.anchored())
            .thenComparingLong(Registration::leafIndexOrMax)
            .thenComparing(Registration::receivedAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Registration::recordId);

    /** {@value #PUBLIC}, {@value #PRIVATE} or {@value #ERASED}: what the public may read of the record's content. */
    public String content() {
        if (record.get(RecordContent.ERASED_AT) != null) {
            return ERASED;
        }
        return RecordContent.isPublic(record.getString("type"), record.getString(RecordContent.VISIBILITY)) ? PUBLIC : PRIVATE;
    }

    /** Whether the public may read the canonical text and salt. */
    public boolean contentPublic() {
        return PUBLIC.equals(content());
    }

    /** When the registrant erased the content, or null. */
    public Instant erasedAt() {
        return instant(record.get(RecordContent.ERASED_AT));
    }

    public String recordId() {
        return record.getString("_id");
    }

    public String tenant() {
        return record.getString("tenant");
    }

    /** Whether the record's digest is in a sealed block. */
    public boolean anchored() {
        return anchoring != null;
    }

    /** {@value #ANCHORED} or {@value #ACCEPTED}. */
    public String state() {
        return anchored() ? ANCHORED : ACCEPTED;
    }

    /** When the record was anchored (its block's time), if it was. */
    public Instant anchoredAt() {
        return anchored() ? anchoring.anchoredAt() : null;
    }

    /** When ingest accepted the record. */
    public Instant receivedAt() {
        return instant(record.get("receivedAt"));
    }

    private long leafIndexOrMax() {
        return anchored() ? anchoring.leafIndex() : Long.MAX_VALUE;
    }

    /** JSON-ready fields: ids, registrant, times, index keys, anchoring state and the receipt link. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recordId", recordId());
        m.put("tenant", tenant());
        m.put("type", record.getString("type"));
        m.put("digest", record.getString("digest"));
        m.put("receivedAt", str(receivedAt()));
        if (erasedAt() != null) {
            m.put("erasedAt", str(erasedAt()));
        }
        m.put("content", content());
        Object keys = record.get("keys");
        if (keys instanceof Document d && PUBLIC.equals(content())) {
            // Keys repeat what the content says; the facts hash is unsalted, so a guess could be checked against it.
            Document shown = new Document(d);
            shown.remove(RecordKeys.FACTS);
            // How the store finds near-duplicates is no fact about the work.
            shown.remove(RecordKeys.PHASH_CHUNKS);
            m.put("keys", shown);
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("state", state());
        if (anchored()) {
            a.put("anchoredAt", str(anchoredAt()));
            a.put("leafIndex", anchoring.leafIndex());
            a.put("blockHeight", anchoring.blockHeight());
            a.put("treeSize", anchoring.treeSize());
            m.put("receiptUrl", "/v1/receipts/" + recordId());
        }
        m.put("anchor", a);
        return m;
    }

    private static Instant instant(Object t) {
        if (t instanceof Date d) {
            return d.toInstant();
        }
        if (t instanceof Number n) {
            return Instant.ofEpochMilli(n.longValue());
        }
        if (t instanceof String s) {
            try {
                return Instant.parse(s);
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }
}
