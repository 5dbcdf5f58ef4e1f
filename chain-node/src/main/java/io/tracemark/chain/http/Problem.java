package io.tracemark.chain.http;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * An RFC 9457 problem details body.
 *
 * @param type     stable URI identifying the problem kind
 * @param title    short summary of the kind
 * @param status   HTTP status
 * @param detail   explanation of this occurrence
 * @param instance  request path
 * @param retriable whether the same request may succeed later (the log grows), so a client retries
 *                  rather than gives up
 * @param errors    the parameters at fault, as in the other services' problems
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, boolean retriable,
                      List<FieldError> errors) {
    /** Base of every problem type URI. */
    public static final String BASE = "https://tracemark.dev/problems/";

    /** One parameter at fault: a JSON pointer into the request ({@code /query/<name>}), a stable code and a message. */
    public record FieldError(String pointer, String code, String detail) {
    }
}
