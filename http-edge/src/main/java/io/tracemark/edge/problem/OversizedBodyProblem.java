package io.tracemark.edge.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Answers a body over the HTTP layer's cap ({@code quarkus.http.limits.max-body-size}) with the same
 * RFC 9457 {@code payload-too-large} problem the services give for their own limits, instead of the
 * web server's bare, empty 413. A declared {@code Content-Length} over the cap is answered here, just
 * before Quarkus' own upload-limit check would, and the connection is closed so the body is never read.
 * A chunked body that only grows past the cap while streaming is still cut off by Quarkus with its own
 * empty 413 (it ends the response itself, leaving no hook to render a body).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14">RFC 9110 §15.5.14 413 Content Too Large</a>
 */
@ApplicationScoped
public class OversizedBodyProblem {
    private final ObjectMapper json = new ObjectMapper();

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> limit;

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::checkDeclaredLength);
    }

    private void checkDeclaredLength(RoutingContext ctx) {
        String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (limit.isPresent() && declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > limit.get().asLongValue()) {
                    render(ctx);
                    return;
                }
            } catch (NumberFormatException e) {
                // Not a length: the HTTP codec rejects it on its own.
            }
        }
        ctx.next();
    }

    private void render(RoutingContext ctx) {
        String detail = "the request body exceeds the server's limit"
                + limit.map(l -> " of " + l.asLongValue() + " bytes").orElse("");
        Problem p = Problem.of("payload-too-large", 413, "Request body is too large").detail(detail)
                .instance(ctx.request().path()).retriable(false).field("", "size.exceeded", detail).build();
        String body;
        try {
            body = json.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close").end(body);
    }
}
