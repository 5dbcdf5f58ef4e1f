package io.tracemark.edge.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 9457 problem details body.
 *
 * <p>{@code type} is a stable URI under {@code https://tracemark.dev/problems/} so that clients
 * switch on it rather than on the human-readable title; {@code retriable} tells a consumer whether
 * the same request may succeed later (retry) or never will (fix it or dead-letter it).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9457#section-3">RFC 9457 §3</a>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
                      Boolean retriable, List<FieldError> errors) {

    /** The media type of problem bodies (RFC 9457 §3). */
    public static final String MEDIA_TYPE = "application/problem+json";
    /** Prefix of every Tracemark problem type URI. */
    public static final String TYPE_BASE = "https://tracemark.dev/problems/";

    /** One invalid input field, named by its JSON pointer, with a stable code. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(String pointer, String code, String detail) {
    }

    /** Starts a problem of the given short type (e.g. {@code validation}) and HTTP status. */
    public static Builder of(String shortType, int status, String title) {
        return new Builder(TYPE_BASE + shortType, status, title);
    }

    /** Wraps this problem in a JAX-RS response with the problem media type. */
    public Response toResponse() {
        return Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(this).build();
    }

    /** Builder for {@link Problem}. */
    public static final class Builder {
        private final String type;
        private final int status;
        private final String title;
        private String detail;
        private String instance;
        private Boolean retriable;
        private final List<FieldError> errors = new ArrayList<>();

        private Builder(String type, int status, String title) {
            this.type = URI.create(type).toString();
            this.status = status;
            this.title = title;
        }

        public Builder detail(String detail) {
            this.detail = detail;
            return this;
        }

        public Builder instance(String instance) {
            this.instance = instance;
            return this;
        }

        public Builder retriable(boolean retriable) {
            this.retriable = retriable;
            return this;
        }

        public Builder field(String pointer, String code, String detail) {
            errors.add(new FieldError(pointer, code, detail));
            return this;
        }

        public Builder fields(List<FieldError> more) {
            errors.addAll(more);
            return this;
        }

        public Problem build() {
            return new Problem(type, title, status, detail, instance, retriable,
                    errors.isEmpty() ? null : List.copyOf(errors));
        }

        public Response toResponse() {
            return build().toResponse();
        }
    }
}
