package io.tracemark.verify.verification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reading of the public API's JSON request objects. */
public final class JsonBodies {
    private JsonBodies() {
    }

    /** A copy of a JSON object without its top-level members whose value is {@code null}. */
    public static JsonNode withoutNulls(JsonNode body) {
        if (!(body instanceof ObjectNode o)) {
            return body;
        }
        ObjectNode copy = o.deepCopy();
        copy.properties().removeIf(e -> e.getValue().isNull());
        return copy;
    }
}
