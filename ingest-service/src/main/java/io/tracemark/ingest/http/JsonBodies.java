package io.tracemark.ingest.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Reads JSON request bodies strictly (duplicate member names and trailing content rejected, as
 * I-JSON requires for canonicalisation) within a size limit, and checks the Idempotency-Key header.
 */
public final class JsonBodies {
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    // The draft IETF Idempotency-Key header is a structured-field string: printable ASCII only.
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x20-\\x7E]{1,200}");

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
            return readUtf8(body);
        } catch (CharacterCodingException e) {
            throw new ProblemException(Problem.of("malformed-json", 400, "Request body is not valid UTF-8")
                    .detail("JSON bodies are UTF-8 (RFC 8259 §8.1); other encodings and malformed or overlong "
                            + "byte sequences are refused.").retriable(false).build());
        } catch (JsonProcessingException e) {
            throw new ProblemException(Problem.of("malformed-json", 400, "Request body is not valid JSON")
                    .detail(e.getOriginalMessage()).retriable(false).build());
        } catch (IOException e) {
            throw new ProblemException(Problem.of("malformed-json", 400, "Request body cannot be read")
                    .retriable(false).build());
        }
    }

    /**
     * Parses JSON that must be strict UTF-8 (RFC 8259 §8.1): Jackson alone would guess UTF-16/32 and
     * accept overlong sequences, so a body could mean other characters than any validator saw. A
     * leading UTF-8 byte order mark is ignored, as §8.1 allows.
     *
     * @throws CharacterCodingException if the bytes are not well-formed UTF-8
     */
    public static JsonNode readUtf8(byte[] body) throws IOException {
        CharBuffer text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(body));
        if (text.length() > 0 && text.charAt(0) == '\uFEFF') {
            text.position(1);
        }
        return STRICT.readTree(text.toString());
    }

    /** Whether an idempotency key is 1 to 200 printable ASCII characters. */
    public static boolean isValidIdempotencyKey(String key) {
        return key != null && !key.isBlank() && IDEMPOTENCY_KEY.matcher(key).matches();
    }

    /** A 413 problem naming the limit. */
    public static ProblemException tooLarge(String what, long size, long maxBytes) {
        return new ProblemException(Problem.of("payload-too-large", 413, what + " is too large")
                .detail(what + " has " + size + " bytes; the limit is " + maxBytes + ".")
                .field("", "size.exceeded", "at most " + maxBytes + " bytes").retriable(false).build());
    }

    /** Checks an optional Idempotency-Key header (1 to 200 printable ASCII characters). */
    public static void checkIdempotencyKey(String key) {
        if (key != null && !isValidIdempotencyKey(key)) {
            throw new ProblemException(Problem.of("validation", 422, "Idempotency-Key is invalid")
                    .field("/headers/Idempotency-Key", "idempotency-key.invalid", "1 to 200 printable ASCII characters")
                    .retriable(false).build());
        }
    }
}
