package io.tracemark.verify.verification;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A receipt as submitted for verification, parsed strictly: every field has one type, unknown
 * fields are reported rather than ignored, and hashes must decode to 32 bytes.
 *
 * @param errors what is wrong with the receipt's shape, as {@code /pointer: problem}; empty if well-formed
 */
public record ReceiptInput(String recordId, String type, String digest, String salt, String canonical,
                           long leafIndex, long blockHeight, long treeSize, List<byte[]> inclusionProof,
                           String checkpoint, String origin, List<String> verifierKeys, byte[] timestampToken,
                           List<String> errors) {
    private static final Set<String> FIELDS = Set.of("recordId", "type", "digest", "salt", "canonical", "leafIndex",
            "blockHeight", "treeSize", "inclusionProof", "checkpoint", "origin", "verifierKeys", "timestampToken");

    /** Whether the receipt had the expected shape. */
    public boolean wellFormed() {
        return errors.isEmpty();
    }

    /** Parses a receipt object, collecting every shape error instead of stopping at the first. */
    public static ReceiptInput parse(JsonNode r) {
        List<String> errors = new ArrayList<>();
        if (r == null || !r.isObject()) {
            return new ReceiptInput(null, null, null, null, null, -1, -1, -1, List.of(), null, null, List.of(), null,
                    List.of("/receipt: must be a JSON object"));
        }
        for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                errors.add("/receipt/" + f + ": unknown field");
            }
        }
        String digest = text(r, "digest", true, errors);
        if (digest != null && !digest.matches("[0-9a-f]{64}")) {
            errors.add("/receipt/digest: must be 64 lowercase hex digits");
        }
        List<byte[]> proof = new ArrayList<>();
        JsonNode p = r.get("inclusionProof");
        if (p == null || !p.isArray()) {
            errors.add("/receipt/inclusionProof: must be an array of base64 hashes");
        } else {
            for (int i = 0; i < p.size(); i++) {
                byte[] h = base64(p.get(i), "/receipt/inclusionProof/" + i, errors);
                if (h != null && h.length != 32) {
                    errors.add("/receipt/inclusionProof/" + i + ": must decode to 32 bytes, got " + h.length);
                }
                proof.add(h);
            }
        }
        List<String> keys = new ArrayList<>();
        JsonNode k = r.get("verifierKeys");
        if (k != null) {
            if (!k.isArray()) {
                errors.add("/receipt/verifierKeys: must be an array of verifier key strings");
            } else {
                for (int i = 0; i < k.size(); i++) {
                    if (!k.get(i).isTextual()) {
                        errors.add("/receipt/verifierKeys/" + i + ": must be a string");
                    } else {
                        keys.add(k.get(i).asText());
                    }
                }
            }
        }
        JsonNode ts = r.get("timestampToken");
        byte[] token = ts == null ? null : base64(ts, "/receipt/timestampToken", errors);
        return new ReceiptInput(text(r, "recordId", true, errors), text(r, "type", true, errors), digest,
                text(r, "salt", true, errors), text(r, "canonical", true, errors), number(r, "leafIndex", errors),
                number(r, "blockHeight", errors), number(r, "treeSize", errors), proof,
                text(r, "checkpoint", true, errors), text(r, "origin", false, errors), keys, token, List.copyOf(errors));
    }

    private static String text(JsonNode r, String field, boolean required, List<String> errors) {
        JsonNode n = r.get(field);
        if (n == null) {
            if (required) {
                errors.add("/receipt/" + field + ": is required");
            }
            return null;
        }
        if (!n.isTextual()) {
            errors.add("/receipt/" + field + ": must be a string");
            return null;
        }
        return n.asText();
    }

    private static long number(JsonNode r, String field, List<String> errors) {
        JsonNode n = r.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            errors.add("/receipt/" + field + ": must be a non-negative integer");
            return -1;
        }
        return n.asLong();
    }

    private static byte[] base64(JsonNode n, String pointer, List<String> errors) {
        if (n == null || !n.isTextual()) {
            errors.add(pointer + ": must be a base64 string");
            return null;
        }
        try {
            byte[] b = Base64.getDecoder().decode(n.asText());
            // Only the canonical encoding is accepted, so one receipt has exactly one spelling.
            if (!Base64.getEncoder().encodeToString(b).equals(n.asText())) {
                errors.add(pointer + ": is not canonical base64");
            }
            return b;
        } catch (IllegalArgumentException e) {
            errors.add(pointer + ": is not base64");
            return null;
        }
    }
}
