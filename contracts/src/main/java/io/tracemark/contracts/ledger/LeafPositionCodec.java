package io.tracemark.contracts.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** JSON of a {@link LeafPosition}: {@code {"index": N, "blockHeight": H}}. */
public final class LeafPositionCodec {
    private LeafPositionCodec() {
    }

    /** The JSON the chain node answers. */
    public static byte[] encode(LeafPosition p) {
        return ("{\"index\":" + p.index() + (p.blockHeight() == null ? "" : ",\"blockHeight\":" + p.blockHeight()) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Parses the chain node's answer; a {@link ContractViolation} if it is not one. */
    public static LeafPosition decode(byte[] json) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new ContractViolation("leaf-position.json", "not JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.path("index").isIntegralNumber() || n.path("index").asLong() < 0) {
            throw new ContractViolation("leaf-position.index", "a leaf position needs a non-negative integer index");
        }
        JsonNode h = n.path("blockHeight");
        if (!h.isMissingNode() && !h.isNull() && (!h.isIntegralNumber() || h.asLong() < 0)) {
            throw new ContractViolation("leaf-position.blockHeight", "blockHeight must be a non-negative integer");
        }
        return new LeafPosition(n.get("index").asLong(), h.isIntegralNumber() ? h.asLong() : null);
    }
}
