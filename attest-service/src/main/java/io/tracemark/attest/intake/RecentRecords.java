package io.tracemark.attest.intake;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The record ids this process sent to the ledger lately, so that a request repeated soon after (ingest
 * republishes on a client retry, Kafka redelivers after a rebalance) does not even reach the leaves topic.
 * An optimisation only: the ledger itself appends each digest once (the chain node skips a leaf hash it
 * already has), which is what makes a late or cross-replica repeat harmless.
 */
public final class RecentRecords {
    private final Map<String, Boolean> ids;

    /** Remembers at most {@code capacity} ids, forgetting the oldest first. */
    public RecentRecords(int capacity) {
        this.ids = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Whether {@code recordId} was sent lately. */
    public synchronized boolean contains(String recordId) {
        return ids.containsKey(recordId);
    }

    /** Remembers ids whose leaves are committed to the leaves topic. */
    public synchronized void addAll(Collection<String> recordIds) {
        recordIds.forEach(id -> ids.put(id, Boolean.TRUE));
    }
}
