package io.tracemark.ingest.records;

import java.util.List;
import java.util.Map;

/**
 * A rule about who may register what, applied to a tenant's valid records before they are stored: it refuses
 * some, and may add index fields to the others (as {@link BatchLinker}s do). One store query per batch at most.
 */
public interface IntakeCheck {

    /** The records of {@code batch} refused, by their position in it. */
    Map<Integer, IntakeResult.Invalid> check(String tenant, List<PendingRecord> batch);
}
