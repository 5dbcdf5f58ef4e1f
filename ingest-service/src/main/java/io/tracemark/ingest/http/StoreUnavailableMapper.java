package io.tracemark.ingest.http;

import com.mongodb.MongoException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import io.tracemark.edge.problem.Problem;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.time.Duration;

/**
 * Answers 503 {@code store-unavailable} with {@code Retry-After} when MongoDB cannot be reached, times out
 * or is failing over, instead of the generic 500: the client should retry with the same
 * {@code Idempotency-Key}, which yields the record exactly once whether or not this attempt landed.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3">RFC 9110 §10.2.3 Retry-After</a>
 */
public class StoreUnavailableMapper {
    /** Problem type short name of this answer. */
    public static final String TYPE = "store-unavailable";
    private static final Logger LOG = Logger.getLogger(StoreUnavailableMapper.class);

    @ConfigProperty(name = "tracemark.ingest.retry-after", defaultValue = "5s")
    Duration retryAfter;

    @ServerExceptionMapper({MongoTimeoutException.class, MongoSocketException.class,
            MongoServerUnavailableException.class, MongoNotPrimaryException.class, MongoNodeIsRecoveringException.class})
    public Response unavailable(MongoException e) {
        // The class only: driver messages list the cluster's hosts, which clients need not see.
        LOG.warnf("record store unavailable, answering 503: %s", e.getClass().getSimpleName());
        Response problem = Problem.of(TYPE, 503, "The record store is unavailable")
                .detail("The request may or may not have been stored. Retry after the Retry-After delay with the "
                        + "same Idempotency-Key to get its outcome exactly once.")
                .retriable(true)
                .toResponse();
        return Response.fromResponse(problem)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())))
                .build();
    }
}
