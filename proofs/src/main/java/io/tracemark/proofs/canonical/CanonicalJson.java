package io.tracemark.proofs.canonical;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * RFC 8785 (JCS) canonical UTF-8 bytes of a JSON value.
 *
 * <p>Input is first validated with a strict Jackson parse, because the canonicalizer's own parser
 * is lenient (it accepts e.g. leading zeros) and because RFC 8785 §3.1 requires I-JSON (RFC 7493):
 * no duplicate member names, no unpaired surrogates, and numbers that IEEE-754 doubles represent.
 * Integer literals that a double would round are rejected rather than silently changed, since a
 * changed value would change the record digest.
 */
public final class CanonicalJson {
    private static final JsonFactory STRICT = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    // Jackson writes NaN/Infinity as strings by default, which would silently turn a bad number
    // into a valid-looking value; written bare they fail validation as they must.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();

    private CanonicalJson() {
    }

    /**
     * Returns the RFC 8785 canonical UTF-8 encoding of a JSON text.
     *
     * @throws ProofException {@code canonical.invalid} if the text is not I-JSON
     */
    public static byte[] canonicalize(String json) {
        if (json == null) {
            throw invalid("no JSON input", null);
        }
        validate(json);
        try {
            return new JsonCanonicalizer(json).getEncodedUTF8();
        } catch (IOException | RuntimeException e) {
            throw invalid("cannot canonicalize: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the RFC 8785 canonical encoding of UTF-8 JSON bytes.
     *
     * @throws ProofException {@code canonical.invalid} for invalid UTF-8 or non-I-JSON input
     */
    public static byte[] canonicalize(byte[] utf8Json) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8Json)).toString();
            return canonicalize(s);
        } catch (CharacterCodingException e) {
            throw invalid("input is not valid UTF-8", e);
        }
    }

    /**
     * Returns the RFC 8785 canonical encoding of a Jackson tree.
     *
     * @throws ProofException {@code canonical.invalid} e.g. for NaN or out-of-range numbers
     */
    public static byte[] canonicalize(JsonNode node) {
        if (!node.isContainerNode()) {
            // As the text path: the canonicalizer takes an object or an array at the top.
            throw invalid("the top-level JSON value must be an object or an array", null);
        }
        StringBuilder out = new StringBuilder(512);
        if (write(node, out)) {
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }
        try {
            // Binary or POJO nodes: as Jackson writes them, then as text.
            return canonicalize(MAPPER.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw invalid("cannot serialize JSON tree: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Writes a tree's RFC 8785 form directly (§3.2: members sorted by UTF-16 code units, §3.2.2.2 string
     * escapes, §3.2.2.3 ECMAScript number form), with the same I-JSON checks as the text path, instead of
     * writing it as text, validating the text and parsing it again. Returns false for a node type JSON text
     * does not have (binary, POJO), which the caller then serialises first.
     */
    private static boolean write(JsonNode n, StringBuilder out) {
        switch (n.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>(n.size());
                n.fieldNames().forEachRemaining(names::add);
                Collections.sort(names);
                out.append('{');
                for (int i = 0; i < names.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    string(names.get(i), out);
                    out.append(':');
                    if (!write(n.get(names.get(i)), out)) {
                        return false;
                    }
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < n.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    if (!write(n.get(i), out)) {
                        return false;
                    }
                }
                out.append(']');
            }
            case STRING -> string(n.textValue(), out);
            case NUMBER -> number(n, out);
            case BOOLEAN -> out.append(n.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void string(String s, StringBuilder out) {
        requireWellFormedUtf16(s);
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void number(JsonNode n, StringBuilder out) {
        String literal = n.asText();
        double d;
        if (n.isIntegralNumber()) {
            BigDecimal value = n.decimalValue();
            requireExactDouble(value, literal);
            d = value.doubleValue();
        } else {
            // The value JSON text of this node denotes (e.g. a float node's shortest text), as the text path reads it.
            d = Double.parseDouble(literal);
            requireFiniteDouble(d, literal);
        }
        try {
            out.append(org.erdtman.jcs.NumberToJSON.serializeNumber(d));
        } catch (IOException e) {
            throw invalid("number " + literal + " has no JSON form: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the RFC 8785 canonical encoding of a map of JSON-compatible values.
     *
     * @throws ProofException {@code canonical.invalid} if the map cannot be represented as I-JSON
     */
    public static byte[] canonicalize(Map<String, ?> map) {
        JsonNode node;
        try {
            node = MAPPER.valueToTree(map);
        } catch (IllegalArgumentException e) {
            throw invalid("map is not JSON-compatible: " + e.getMessage(), e);
        }
        return canonicalize(node);
    }

    private static void validate(String json) {
        try (JsonParser p = STRICT.createParser(json)) {
            if (p.nextToken() == null) {
                throw invalid("empty JSON input", null);
            }
            int depth = 0;
            do {
                JsonToken t = p.currentToken();
                switch (t) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME, VALUE_STRING -> requireWellFormedUtf16(p.getText());
                    case VALUE_NUMBER_INT -> requireExactDouble(p.getDecimalValue(), p.getText());
                    case VALUE_NUMBER_FLOAT -> requireFiniteDouble(p.getDoubleValue(), p.getText());
                    default -> {
                        // Literals need no checks beyond the parser's.
                    }
                }
            } while (depth > 0 && p.nextToken() != null);
            if (p.nextToken() != null) {
                throw invalid("trailing content after the JSON value", null);
            }
        } catch (IOException e) {
            throw invalid(e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage(), e);
        }
    }

    private static void requireWellFormedUtf16(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw invalid("string contains an unpaired surrogate (not I-JSON, RFC 7493 §2.1)", null);
            }
        }
    }

    /**
     * An integer literal must denote its double exactly, or be the RFC 8785 serialisation of that
     * double: the canonical form of {@code 9.007199254857007e19} is the integer text
     * {@code 90071992548570070000}, which must canonicalise again to itself.
     */
    private static void requireExactDouble(BigDecimal value, String literal) {
        double d = value.doubleValue();
        if (Double.isInfinite(d)) {
            throw invalid("integer " + literal + " is outside the IEEE-754 double range", null);
        }
        if (new BigDecimal(d).compareTo(value) != 0 && !isCanonicalForm(d, literal)) {
            throw invalid("integer " + literal + " is not exactly representable as an IEEE-754 double"
                    + " (RFC 8785 §3.2.2.3); encode it as a string", null);
        }
    }

    private static boolean isCanonicalForm(double d, String literal) {
        try {
            return org.erdtman.jcs.NumberToJSON.serializeNumber(d).equals(literal);
        } catch (IOException e) {
            return false;
        }
    }

    private static void requireFiniteDouble(double d, String literal) {
        if (!Double.isFinite(d)) {
            throw invalid("number " + literal + " is outside the IEEE-754 double range", null);
        }
    }

    private static ProofException invalid(String why, Throwable cause) {
        return cause == null
                ? new ProofException(ProofErrorCode.CANONICAL_INVALID, why)
                : new ProofException(ProofErrorCode.CANONICAL_INVALID, why, cause);
    }
}
