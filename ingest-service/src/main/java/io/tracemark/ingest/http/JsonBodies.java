package io.tracemark.ingest.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;

import java.io.IOException;

/**
 * Reads JSON request bodies strictly (duplicate member names and trailing content rejected, as
 * I-JSON requires for canonicalisation) within a size limit, and checks the Idempotency-Key header.
 */
public final class JsonBodies {
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBodies() {
    }

    /** Parses a body of at most {@code maxBytes}; 413 or 400 problems otherwise. */
    public static JsonNode parse(byte[] body, long maxBytes) {
        if (body == null || body.length == 0) {
            throw new ProblemException(Problem.of("validation", 422, "Record is invalid")
                    .field("/payload", "body.required", "a JSON object is required").retriable(false).build());
        }
        if (body.length > maxBytes) {
            throw tooLarge("Request body", body.length, maxBytes);
        }
        try {
            return STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ProblemException(Problem.of("malformed-json", 400, "Request body is not valid JSON")
                    .detail(e.getOriginalMessage()).retriable(false).build());
        } catch (IOException e) {
            throw new ProblemException(Problem.of("malformed-json", 400, "Request body cannot be read")
                    .retriable(false).build());
        }
    }

    /** A 413 problem naming the limit. */
    public static ProblemException tooLarge(String what, long size, long maxBytes) {
        return new ProblemException(Problem.of("payload-too-large", 413, what + " is too large")
                .detail(what + " has " + size + " bytes; the limit is " + maxBytes + ".")
                .field("", "size.exceeded", "at most " + maxBytes + " bytes").retriable(false).build());
    }

    /** Checks an optional Idempotency-Key header (1 to 200 characters). */
    public static void checkIdempotencyKey(String key) {
        if (key != null && (key.isBlank() || key.length() > 200)) {
            throw new ProblemException(Problem.of("validation", 422, "Idempotency-Key is invalid")
                    .field("/headers/Idempotency-Key", "idempotency-key.invalid", "1 to 200 characters")
                    .retriable(false).build());
        }
    }
}
