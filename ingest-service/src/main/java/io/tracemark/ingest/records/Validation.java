package io.tracemark.ingest.records;

import io.tracemark.edge.problem.Problem;

import java.util.ArrayList;
import java.util.List;

/** Collects field-level errors while a payload is checked, so one response names all of them. */
public final class Validation {
    private final List<Problem.FieldError> errors = new ArrayList<>();

    /** Records that the field at a JSON pointer failed a rule with a stable code. */
    public void fail(String pointer, String code, String detail) {
        errors.add(new Problem.FieldError(pointer, code, detail));
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    public List<Problem.FieldError> errors() {
        return List.copyOf(errors);
    }
}
