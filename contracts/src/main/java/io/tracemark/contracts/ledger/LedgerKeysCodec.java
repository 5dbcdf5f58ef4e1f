package io.tracemark.contracts.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON of {@link LedgerKeys}, the chain node's {@code GET /v1/keys}: {@code {"origin": "…", "verifierKeys": ["…"],
 * "tsaCertificate": "<PEM>", "timestampAuthorities": [{"name": "…", "url": "…", "certificate": "<PEM>"}]}}.
 */
public final class LedgerKeysCodec {
    private LedgerKeysCodec() {
    }

    /** The JSON the chain node answers. */
    public static byte[] encode(LedgerKeys k) {
        ObjectNode n = Json.MAPPER.createObjectNode().put("origin", k.origin());
        ArrayNode keys = n.putArray("verifierKeys");
        k.verifierKeys().forEach(keys::add);
        n.put("tsaCertificate", k.tsaCertificate());
        ArrayNode authorities = n.putArray("timestampAuthorities");
        k.timestampAuthorities().forEach(a -> authorities.addObject().put("name", a.name()).put("url", a.url())
                .put("certificate", a.certificate()));
        try {
            return Json.MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses the chain node's answer; a {@link ContractViolation} naming the field if it is not one. */
    public static LedgerKeys decode(byte[] json) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new ContractViolation("ledger-keys.json", "not JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.path("origin").isTextual() || n.path("origin").asText().isBlank()) {
            throw new ContractViolation("ledger-keys.origin", "the keys name the log's checkpoint origin");
        }
        JsonNode keys = n.path("verifierKeys");
        if (!keys.isArray() || keys.isEmpty()) {
            throw new ContractViolation("ledger-keys.verifierKeys", "the keys list at least one note verifier key");
        }
        List<String> verifierKeys = new ArrayList<>();
        for (JsonNode k : keys) {
            if (!k.isTextual() || k.asText().isBlank()) {
                throw new ContractViolation("ledger-keys.verifierKeys", "every verifier key is a non-empty string");
            }
            verifierKeys.add(k.asText());
        }
        JsonNode tsa = n.path("tsaCertificate");
        if (!tsa.isMissingNode() && !tsa.isNull() && !tsa.isTextual()) {
            throw new ContractViolation("ledger-keys.tsaCertificate", "tsaCertificate is a PEM string");
        }
        List<LedgerKeys.TimestampAuthority> authorities = new ArrayList<>();
        JsonNode as = n.path("timestampAuthorities");
        if (!as.isMissingNode() && !as.isNull() && !as.isArray()) {
            throw new ContractViolation("ledger-keys.timestampAuthorities", "timestampAuthorities must be an array");
        }
        for (JsonNode a : as) {
            if (!a.path("name").isTextual() || a.path("name").asText().isBlank() || !a.path("certificate").isTextual()) {
                throw new ContractViolation("ledger-keys.timestampAuthorities",
                        "every external authority has a name and a PEM certificate");
            }
            authorities.add(new LedgerKeys.TimestampAuthority(a.get("name").asText(), a.path("url").asText(null),
                    a.get("certificate").asText()));
        }
        return new LedgerKeys(n.get("origin").asText(), verifierKeys, tsa.isTextual() ? tsa.asText() : null, authorities);
    }
}
