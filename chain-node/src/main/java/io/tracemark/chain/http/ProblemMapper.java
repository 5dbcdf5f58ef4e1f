package io.tracemark.chain.http;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/** Renders every error as RFC 9457 {@code application/problem+json}. */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {
    static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @Context
    UriInfo uri;

    @Override
    public Response toResponse(Throwable t) {
        String path = uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
        Problem p;
        if (t instanceof ProblemException pe) {
            p = pe.toProblem(path);
        } else if (t instanceof WebApplicationException wae) {
            int status = wae.getResponse().getStatus();
            String slug = status == 404 ? "not-found" : status == 405 ? "method-not-allowed" : "http-" + status;
            p = new Problem(Problem.BASE + slug, wae.getResponse().getStatusInfo().getReasonPhrase(), status,
                    wae.getMessage(), path, status >= 500 || status == 429, null);
        } else {
            LOG.error("unexpected error serving " + path, t);
            p = new Problem(Problem.BASE + "internal-error", "Internal error", 500,
                    "the chain node could not answer this request", path, true, null);
        }
        return Response.status(p.status()).type(PROBLEM_JSON).entity(p).build();
    }
}
