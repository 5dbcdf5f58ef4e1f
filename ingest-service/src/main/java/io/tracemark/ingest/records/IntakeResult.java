package io.tracemark.ingest.records;

import io.tracemark.edge.problem.Problem;

import java.util.List;

/** What became of one submitted record. */
public sealed interface IntakeResult {

    /** Stored (now or by an identical earlier request) and queued for anchoring. */
    record Accepted(StoredRecord record) implements IntakeResult {
    }

    /** Rejected by validation; nothing was stored. */
    record Invalid(String problemType, String title, List<Problem.FieldError> errors) implements IntakeResult {
    }

    /** The idempotency key already names a different request. */
    record Conflict(StoredRecord existing) implements IntakeResult {
    }

    /**
     * The tenant registered this GTIN and lot before with other facts; an amendment must say so ({@code supersedes}).
     */
    record FactsDiffer(StoredRecord existing) implements IntakeResult {
    }

    /** The tenant already has this very record under another request (e.g. the same EPCIS event). */
    record Duplicate(StoredRecord existing) implements IntakeResult {
    }
}
