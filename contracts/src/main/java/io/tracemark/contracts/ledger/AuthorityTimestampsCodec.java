package io.tracemark.contracts.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * JSON of {@link AuthorityTimestamps}:
 * {@code {"treeSize": N, "tokens": [{"name": "…", "token": "<base64 DER>"}], "pending": ["…"], "missing": ["…"]}}.
 */
public final class AuthorityTimestampsCodec {
    private AuthorityTimestampsCodec() {
    }

    /** The JSON the chain node answers. */
    public static byte[] encode(AuthorityTimestamps a) {
        ObjectNode n = Json.MAPPER.createObjectNode().put("treeSize", a.treeSize());
        ArrayNode tokens = n.putArray("tokens");
        a.tokens().forEach(t -> tokens.addObject().put("name", t.name()).put("token", t.token()));
        a.pending().forEach(n.putArray("pending")::add);
        a.missing().forEach(n.putArray("missing")::add);
        try {
            return Json.MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses the chain node's answer; a {@link ContractViolation} naming the field if it is not one. */
    public static AuthorityTimestamps decode(byte[] json) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new ContractViolation("authority-timestamps.json", "not JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.path("treeSize").isIntegralNumber() || n.path("treeSize").asLong() < 0) {
            throw new ContractViolation("authority-timestamps.treeSize", "treeSize must be a non-negative integer");
        }
        List<AuthorityTimestamps.Token> tokens = new ArrayList<>();
        for (JsonNode t : array(n, "tokens")) {
            String name = t.path("name").asText("");
            String token = t.path("token").asText("");
            if (!t.path("name").isTextual() || name.isBlank()) {
                throw new ContractViolation("authority-timestamps.tokens.name", "every token names its authority");
            }
            try {
                if (Base64.getDecoder().decode(token).length == 0) {
                    throw new IllegalArgumentException("empty");
                }
            } catch (IllegalArgumentException e) {
                throw new ContractViolation("authority-timestamps.tokens.token", "token of '" + name + "' is not base64 DER");
            }
            tokens.add(new AuthorityTimestamps.Token(name, token));
        }
        return new AuthorityTimestamps(n.get("treeSize").asLong(), tokens, names(n, "pending"), names(n, "missing"));
    }

    private static List<String> names(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : array(n, field)) {
            if (!s.isTextual() || s.asText().isBlank()) {
                throw new ContractViolation("authority-timestamps." + field, field + " must list authority names");
            }
            out.add(s.asText());
        }
        return out;
    }

    private static JsonNode array(JsonNode n, String field) {
        JsonNode a = n.path(field);
        if (a.isMissingNode() || a.isNull()) {
            return Json.MAPPER.createArrayNode();
        }
        if (!a.isArray()) {
            throw new ContractViolation("authority-timestamps." + field, field + " must be an array");
        }
        return a;
    }
}
