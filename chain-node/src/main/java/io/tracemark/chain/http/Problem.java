package io.tracemark.chain.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem details body.
 *
 * @param type     stable URI identifying the problem kind
 * @param title    short summary of the kind
 * @param status   HTTP status
 * @param detail   explanation of this occurrence
 * @param instance request path
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {
    /** Base of every problem type URI. */
    public static final String BASE = "https://tracemark.dev/problems/";
}
