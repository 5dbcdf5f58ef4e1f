package io.tracemark.contracts.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.Json;

import java.io.IOException;

/**
 * JSON of {@link ConsistencyProof}, the chain node's {@code GET /v1/proofs/consistency}:
 * {@code {"from": M, "to": N, "hashes": ["<base64>", …]}}.
 */
public final class ConsistencyProofCodec {
    private ConsistencyProofCodec() {
    }

    /** The JSON the chain node answers. */
    public static byte[] encode(ConsistencyProof p) {
        ObjectNode n = Json.MAPPER.createObjectNode().put("from", p.from()).put("to", p.to());
        ArrayNode hashes = n.putArray("hashes");
        p.hashes().forEach(hashes::add);
        try {
            return Json.MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses the chain node's answer; a {@link ContractViolation} naming the field if it is not one. */
    public static ConsistencyProof decode(byte[] json) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new ContractViolation("consistency-proof.json", "not JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new ContractViolation("consistency-proof.json", "a consistency proof is a JSON object");
        }
        long from = ProofHashes.size(n, "from", "consistency-proof.from");
        long to = ProofHashes.size(n, "to", "consistency-proof.to");
        if (from > to) {
            throw new ContractViolation("consistency-proof.from", "tree size " + from + " is larger than " + to);
        }
        return new ConsistencyProof(from, to, ProofHashes.list(n, "hashes", "consistency-proof.hashes"));
    }
}
