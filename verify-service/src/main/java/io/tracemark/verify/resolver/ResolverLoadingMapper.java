package io.tracemark.verify.resolver;

import io.tracemark.edge.problem.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Until the resolver index is built (seconds after start), Digital Links answer 503 with Retry-After. */
public class ResolverLoadingMapper {
    /** Seconds a client should wait: the index is one pass over the batches and events. */
    static final int RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public Response map(BatchIndexFeed.IndexLoading e) {
        return Response.fromResponse(Problem.of("resolver-index-loading", 503, "Resolver not ready")
                        .detail("the index of registered batches and events is being built; retry shortly").retriable(true)
                        .toResponse())
                .header("Retry-After", RETRY_AFTER_SECONDS).build();
    }
}
