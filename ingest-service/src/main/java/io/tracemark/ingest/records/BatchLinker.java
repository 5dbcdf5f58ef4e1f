package io.tracemark.ingest.records;

import java.util.List;

/**
 * A step that may add links between records of one intake batch and records already stored (e.g.
 * an EPCIS error declaration naming the event it supersedes) before the batch is written.
 *
 * <p>Links go into the new record's index fields only: a stored record is never edited.
 */
public interface BatchLinker {

    /** Adds index fields to pending records of a tenant; one store query per batch at most. */
    void link(String tenant, List<PendingRecord> batch);
}
