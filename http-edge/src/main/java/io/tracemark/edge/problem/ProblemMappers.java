package io.tracemark.edge.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.io.IOException;

/**
 * Maps every exception that escapes a resource to an RFC 9457 body, so that no internal error
 * text (stack traces, driver messages) ever reaches a client.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** What RESTEasy Reactive's body stream throws once Vert.x has refused a body over the size cap. */
    static final String BODY_CUT_OFF = "Request too large";

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.problem().toResponse();
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return Problem.of("malformed-json", 400, "Request body is not valid JSON")
                .detail(e.getOriginalMessage())
                .retriable(false)
                .toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getResponse().hasEntity()) {
            return e.getResponse();
        }
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return Problem.of("http-" + status, status, title)
                .retriable(status >= 500 || status == 429)
                .toResponse();
    }

    /**
     * A chunked body cut off at the size cap: the web server has already answered 413 and closed the connection, and
     * the resource's read fails with this. A client's error, not the service's, so it is not logged as one.
     */
    @ServerExceptionMapper
    public Response bodyCutOff(IOException e) {
        if (!BODY_CUT_OFF.equals(e.getMessage())) {
            return unexpected(e);
        }
        LOG.debug("request body cut off at the size limit");
        return Problem.of("payload-too-large", 413, "Request body is too large")
                .detail("the request body exceeds the server's limit")
                .retriable(false)
                .toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unhandled error", e);
        return Problem.of("internal", 500, "Internal error")
                .detail("The request could not be completed; it is safe to retry.")
                .retriable(true)
                .toResponse();
    }
}
