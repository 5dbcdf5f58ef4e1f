package io.tracemark.contracts.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracemark.contracts.ContractViolation;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The base64 SHA-256 hashes of the chain node's proofs, checked as they are read. */
final class ProofHashes {
    private ProofHashes() {
    }

    /** One standard-base64 SHA-256 hash, or a {@link ContractViolation} with {@code code}. */
    static String hash(JsonNode h, String code) {
        if (!h.isTextual()) {
            throw new ContractViolation(code, "a hash is a base64 string");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(h.asText());
        } catch (IllegalArgumentException e) {
            throw new ContractViolation(code, "a hash is standard base64: " + e.getMessage());
        }
        if (raw.length != 32) {
            throw new ContractViolation(code, "a hash is 32 bytes (SHA-256), not " + raw.length);
        }
        return h.asText();
    }

    /** The array {@code field} of hashes (an empty proof when the tree is trivial). */
    static List<String> list(JsonNode n, String field, String code) {
        JsonNode a = n.path(field);
        if (!a.isArray()) {
            throw new ContractViolation(code, field + " must be an array of base64 hashes");
        }
        List<String> out = new ArrayList<>(a.size());
        for (JsonNode h : a) {
            out.add(hash(h, code));
        }
        return out;
    }

    /** A non-negative integer member, or a {@link ContractViolation} with {@code code}. */
    static long size(JsonNode n, String field, String code) {
        JsonNode v = n.path(field);
        if (!v.isIntegralNumber() || v.asLong() < 0) {
            throw new ContractViolation(code, field + " must be a non-negative integer");
        }
        return v.asLong();
    }
}
