package io.tracemark.contracts.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.Json;

import java.io.IOException;

/**
 * JSON of {@link InclusionProof}, the chain node's {@code GET /v1/proofs/inclusion}:
 * {@code {"index": N, "treeSize": S, "leafHash": "<base64>", "hashes": ["<base64>", …]}}.
 */
public final class InclusionProofCodec {
    private InclusionProofCodec() {
    }

    /** The JSON the chain node answers. */
    public static byte[] encode(InclusionProof p) {
        ObjectNode n = Json.MAPPER.createObjectNode().put("index", p.index()).put("treeSize", p.treeSize())
                .put("leafHash", p.leafHash());
        ArrayNode hashes = n.putArray("hashes");
        p.hashes().forEach(hashes::add);
        try {
            return Json.MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses the chain node's answer; a {@link ContractViolation} naming the field if it is not one. */
    public static InclusionProof decode(byte[] json) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new ContractViolation("inclusion-proof.json", "not JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new ContractViolation("inclusion-proof.json", "an inclusion proof is a JSON object");
        }
        long index = ProofHashes.size(n, "index", "inclusion-proof.index");
        long treeSize = ProofHashes.size(n, "treeSize", "inclusion-proof.treeSize");
        if (index >= treeSize) {
            throw new ContractViolation("inclusion-proof.index", "leaf " + index + " is not in a tree of " + treeSize);
        }
        String leafHash = ProofHashes.hash(n.path("leafHash"), "inclusion-proof.leafHash");
        return new InclusionProof(index, treeSize, leafHash, ProofHashes.list(n, "hashes", "inclusion-proof.hashes"));
    }
}
