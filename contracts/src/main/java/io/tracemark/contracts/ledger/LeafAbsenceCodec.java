package io.tracemark.contracts.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.Json;

import java.io.IOException;

/**
 * JSON of the chain node's leaf-absence answer: an RFC 9457 problem of type {@value #TYPE} (status 404,
 * retriable) with the {@link LeafAbsence} members {@code treeSize}, {@code root} and {@code absence}.
 */
public final class LeafAbsenceCodec {
    /** The problem type of the answer. */
    public static final String TYPE = "https://tracemark.dev/problems/not-present";

    private LeafAbsenceCodec() {
    }

    /** The problem body the chain node answers. */
    public static byte[] encode(LeafAbsence a) {
        ObjectNode n = Json.MAPPER.createObjectNode()
                .put("type", TYPE).put("title", "Leaf not present").put("status", 404)
                .put("detail", "no leaf with this digest or leaf hash is in the tree of " + a.treeSize() + " leaves")
                .put("instance", "/v1/leaves").put("retriable", true)
                .put("treeSize", a.treeSize()).put("root", a.root()).put("absence", a.absence());
        try {
            return Json.MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses a 404 answer of the leaf lookup; a {@link ContractViolation} if it does not state the tree it covers
     * (an older chain node's bare problem, for instance).
     */
    public static LeafAbsence decode(byte[] json) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new ContractViolation("leaf-absence.json", "not JSON: " + e.getMessage(), e);
        }
        if (n == null || !TYPE.equals(n.path("type").asText())) {
            throw new ContractViolation("leaf-absence.type", "a leaf absence is a problem of type " + TYPE);
        }
        if (!n.path("treeSize").isIntegralNumber() || n.path("treeSize").asLong() < 0) {
            throw new ContractViolation("leaf-absence.treeSize", "a leaf absence needs a non-negative integer treeSize");
        }
        if (!n.path("root").isTextual() || !n.path("absence").isTextual()) {
            throw new ContractViolation("leaf-absence.statement", "a leaf absence carries the root and the signed statement");
        }
        return new LeafAbsence(n.get("treeSize").asLong(), n.get("root").asText(), n.get("absence").asText());
    }
}
