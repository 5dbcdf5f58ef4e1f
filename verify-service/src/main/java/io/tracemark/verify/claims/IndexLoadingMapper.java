package io.tracemark.verify.claims;

import io.tracemark.edge.problem.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** While the claim index is being built, lookups that need it answer 503 (type claims-index-loading) with Retry-After. */
public class IndexLoadingMapper {
    /** Seconds a client should wait: a build at a million works takes tens of seconds. */
    static final int RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public Response map(WorkIndexFeed.IndexLoading e) {
        return Response.fromResponse(Problem.of("claims-index-loading", 503, "Claim index not ready")
                        .detail("the index of registered works is being built; retry shortly").retriable(true).toResponse())
                .header("Retry-After", RETRY_AFTER_SECONDS).build();
    }
}
