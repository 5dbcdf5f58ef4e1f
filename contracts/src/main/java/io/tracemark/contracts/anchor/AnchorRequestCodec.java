package io.tracemark.contracts.anchor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.Json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * JSON form of an {@link AnchorRequest}:
 * {@code {"recordId","tenant","type","digest","acceptedAt","gtins":[…],"work":{"sha256","phash"},
 * "content":{"salt","canonical"}}}; {@code work} and {@code content} are optional.
 */
public final class AnchorRequestCodec {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern HEX16 = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern GTIN14 = Pattern.compile("[0-9]{14}");

    private AnchorRequestCodec() {
    }

    /** The message value as UTF-8 JSON. */
    public static byte[] encode(AnchorRequest r) {
        ObjectNode n = Json.MAPPER.createObjectNode()
                .put("recordId", r.recordId()).put("tenant", r.tenant()).put("type", r.type())
                .put("digest", r.digest()).put("acceptedAt", r.acceptedAt().toString());
        ArrayNode g = n.putArray("gtins");
        r.gtins().forEach(g::add);
        if (r.work() != null) {
            ObjectNode w = n.putObject("work").put("sha256", r.work().sha256());
            if (r.work().phash() == null) {
                w.putNull("phash");
            } else {
                w.put("phash", r.work().phash());
            }
        }
        if (r.content() != null) {
            n.putObject("content").put("salt", r.content().salt()).put("canonical", r.content().canonical());
        }
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses and checks a message value; a {@link ContractViolation} names the first bad field. */
    public static AnchorRequest decode(byte[] value) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(value);
        } catch (java.io.IOException e) {
            throw new ContractViolation("anchor-request.json", "not JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new ContractViolation("anchor-request.json", "not a JSON object");
        }
        String recordId = text(n, "recordId");
        String tenant = text(n, "tenant");
        String type = text(n, "type");
        String digest = text(n, "digest");
        if (!HEX64.matcher(digest).matches()) {
            throw new ContractViolation("anchor-request.digest", "digest must be 64 lowercase hex digits, not '" + digest + "'");
        }
        Instant acceptedAt;
        try {
            // Milliseconds, as MongoDB stores it: a receipt built from the message equals one built from the store.
            acceptedAt = Instant.parse(text(n, "acceptedAt")).truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw new ContractViolation("anchor-request.acceptedAt", "acceptedAt is not an ISO-8601 instant: " + e.getMessage(), e);
        }
        List<String> gtins = new ArrayList<>();
        JsonNode gs = n.path("gtins");
        if (!gs.isMissingNode() && !gs.isArray()) {
            throw new ContractViolation("anchor-request.gtins", "gtins must be an array of GTIN-14 strings");
        }
        for (JsonNode g : gs) {
            if (!g.isTextual() || !GTIN14.matcher(g.asText()).matches()) {
                throw new ContractViolation("anchor-request.gtins", "gtins must hold 14-digit strings, not " + g);
            }
            gtins.add(g.asText());
        }
        AnchorRequest.Work work = null;
        JsonNode w = n.path("work");
        if (w.isObject()) {
            String sha = w.path("sha256").asText("");
            if (!HEX64.matcher(sha).matches()) {
                throw new ContractViolation("anchor-request.work.sha256", "work.sha256 must be 64 lowercase hex digits");
            }
            String phash = w.hasNonNull("phash") ? w.get("phash").asText() : null;
            if (phash != null && !HEX16.matcher(phash).matches()) {
                throw new ContractViolation("anchor-request.work.phash", "work.phash must be 16 lowercase hex digits");
            }
            work = new AnchorRequest.Work(sha, phash);
        }
        AnchorRequest.Content content = null;
        JsonNode c = n.path("content");
        if (!c.isMissingNode() && !c.isNull()) {
            if (!c.isObject()) {
                throw new ContractViolation("anchor-request.content", "content must be an object {salt, canonical}");
            }
            content = new AnchorRequest.Content(text(c, "salt", "content.salt"), text(c, "canonical", "content.canonical"));
        }
        return new AnchorRequest(recordId, tenant, type, digest, acceptedAt, gtins, work, content);
    }

    private static String text(JsonNode n, String field) {
        return text(n, field, field);
    }

    private static String text(JsonNode n, String field, String path) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new ContractViolation("anchor-request." + path, path + " is required (a non-empty string)");
        }
        return v.asText();
    }
}
