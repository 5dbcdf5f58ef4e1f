package io.tracemark.chain.http;

/** Ends a request with an RFC 9457 problem response. */
public final class ProblemException extends RuntimeException {
    private final int status;
    private final String slug;
    private final String title;

    /** A problem of type {@code https://tracemark.dev/problems/<slug>}. */
    public ProblemException(int status, String slug, String title, String detail) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    /** 400 invalid-parameter. */
    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "invalid-parameter", "Invalid request parameter", detail);
    }

    /** 404 with the given type. */
    public static ProblemException notFound(String slug, String title, String detail) {
        return new ProblemException(404, slug, title, detail);
    }

    /** HTTP status. */
    public int status() {
        return status;
    }

    /** The problem body for a request to {@code path}. */
    public Problem toProblem(String path) {
        return new Problem(Problem.BASE + slug, title, status, getMessage(), path);
    }
}
