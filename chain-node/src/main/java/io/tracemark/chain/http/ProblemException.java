package io.tracemark.chain.http;

import java.util.List;

/** Ends a request with an RFC 9457 problem response. */
public final class ProblemException extends RuntimeException {
    private final int status;
    private final String slug;
    private final String title;
    private final boolean retriable;
    private final List<Problem.FieldError> errors;

    /** A problem of type {@code https://tracemark.dev/problems/<slug>}, retriable only for a 5xx. */
    public ProblemException(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, status >= 500, null);
    }

    private ProblemException(int status, String slug, String title, String detail, boolean retriable,
                             List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.retriable = retriable;
        this.errors = errors;
    }

    /** 400 invalid-parameter, naming the query parameter at fault. */
    public static ProblemException badRequest(String parameter, String code, String detail) {
        return new ProblemException(400, "invalid-parameter", "Invalid request parameter", detail, false,
                List.of(new Problem.FieldError("/query/" + parameter, code, detail)));
    }

    /** 400 invalid-parameter for a path that does not parse. */
    public static ProblemException badPath(String detail) {
        return new ProblemException(400, "invalid-parameter", "Invalid request parameter", detail, false,
                List.of(new Problem.FieldError("/path", "path.invalid", detail)));
    }

    /** 404 with the given type, for something that does not exist and never will. */
    public static ProblemException notFound(String slug, String title, String detail) {
        return new ProblemException(404, slug, title, detail);
    }

    /** 404 for something the log has not reached yet (a later checkpoint, tile, time-stamp or block): retry later. */
    public static ProblemException notYet(String slug, String title, String detail) {
        return new ProblemException(404, slug, title, detail, true, null);
    }

    /** The same problem, marked retriable: the log will grow to answer it. */
    public ProblemException retriable() {
        return new ProblemException(status, slug, title, getMessage(), true, errors);
    }

    /** HTTP status. */
    public int status() {
        return status;
    }

    /** The problem body for a request to {@code path}. */
    public Problem toProblem(String path) {
        return new Problem(Problem.BASE + slug, title, status, getMessage(), path, retriable, errors);
    }
}
