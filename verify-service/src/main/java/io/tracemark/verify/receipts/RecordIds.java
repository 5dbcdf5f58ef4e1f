package io.tracemark.verify.receipts;

import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;

/** Record ids are ULIDs (26 Crockford base32 characters); anything else cannot name a record. */
public final class RecordIds {
    private RecordIds() {
    }

    /** Whether {@code id} has the shape of a record id. */
    public static boolean isValid(String id) {
        return id != null && id.matches("[0-9A-HJKMNP-TV-Z]{26}");
    }

    /** The 404 problem for an unknown record. */
    public static ProblemException notFound() {
        return new ProblemException(Problem.of("not-found", 404, "No such record").retriable(false).build());
    }
}
