package io.tracemark.verify.edge;

import io.quarkus.runtime.configuration.MemorySize;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.ratelimit.TokenBucketLimiter;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Hygiene for the public API: a per-client rate limit (429 with Retry-After; every answer carries the
 * client's {@code RateLimit-Limit}, {@code -Remaining}, {@code -Reset} and {@code RateLimit-Policy}, as in the
 * IETF httpapi RateLimit header fields draft) and a size limit on JSON bodies, which are parsed whole (file
 * uploads stream and have their own, larger limit).
 */
@Singleton
public class PublicEdgeFilter {
    private static final String DECISION = "tracemark.rate-limit.decision";
    private final TokenBucketLimiter limiter;
    private final long maxJsonBytes;
    private final boolean trustForwardedFor;

    public PublicEdgeFilter(@ConfigProperty(name = "tracemark.verify.rate-limit.burst") int burst,
                            @ConfigProperty(name = "tracemark.verify.rate-limit.per-second") double perSecond,
                            @ConfigProperty(name = "tracemark.verify.max-json-size") MemorySize maxJson,
                            @ConfigProperty(name = "tracemark.verify.trust-forwarded-for") boolean trustForwardedFor) {
        this.limiter = new TokenBucketLimiter(burst, perSecond, 100_000);
        this.maxJsonBytes = maxJson.asLongValue();
        this.trustForwardedFor = trustForwardedFor;
    }

    /** Refuses over-limit clients and oversized JSON before any work is done. */
    @ServerRequestFilter(preMatching = true)
    public Response filter(ContainerRequestContext ctx, HttpServerRequest request) {
        TokenBucketLimiter.Decision d = limiter.acquire(client(request));
        ctx.setProperty(DECISION, d);
        if (!d.allowed()) {
            return Response.fromResponse(Problem.of("rate-limited", 429, "Too many requests")
                            .detail("retry after " + d.retryAfterSeconds() + " s").retriable(true).toResponse())
                    .header("Retry-After", d.retryAfterSeconds()).build();
        }
        MediaType type = ctx.getMediaType();
        if ("POST".equals(ctx.getMethod()) && type != null && type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            String len = ctx.getHeaderString(HttpHeaders.CONTENT_LENGTH);
            if (len == null) {
                return Problem.of("length-required", 411, "Content-Length required")
                        .detail("JSON bodies must state their length").retriable(false).toResponse();
            }
            long n;
            try {
                n = Long.parseLong(len.trim());
            } catch (NumberFormatException e) {
                n = Long.MAX_VALUE;
            }
            if (n > maxJsonBytes) {
                return Problem.of("payload-too-large", 413, "Request body too large")
                        .detail("JSON bodies up to " + maxJsonBytes + " bytes are accepted").retriable(false).toResponse();
            }
        }
        return null;
    }

    /** Tells every client its quota on every answer, refusals included. */
    @ServerResponseFilter
    public void rateLimitHeaders(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(DECISION) instanceof TokenBucketLimiter.Decision d) {
            MultivaluedMap<String, Object> h = response.getHeaders();
            h.putSingle("RateLimit-Limit", d.limit());
            h.putSingle("RateLimit-Remaining", d.remaining());
            h.putSingle("RateLimit-Reset", d.resetSeconds());
            h.putSingle("RateLimit-Policy", d.limit() + ";w=" + limiter.windowSeconds());
        }
    }

    private String client(HttpServerRequest request) {
        if (trustForwardedFor) {
            String xff = request.getHeader("X-Forwarded-For");
            if (xff != null && !xff.isBlank()) {
                return xff.split(",")[0].trim();
            }
        }
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
