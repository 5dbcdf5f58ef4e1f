package io.tracemark.ingest.product;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.contracts.records.RecordKeys;
import io.tracemark.ingest.records.IntakeResult;
import io.tracemark.ingest.records.PendingRecord;
import io.tracemark.ingest.records.RecordIds;
import io.tracemark.ingest.records.StoredRecord;
import io.tracemark.ingest.records.RecordType;
import io.tracemark.ingest.records.ValidatedPayload;
import io.tracemark.ingest.records.Validation;
import jakarta.enterprise.context.ApplicationScoped;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.canonical.CanonicalJson;
import org.bson.Document;

import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A product batch (lot) of one GTIN, with its quantities, dates, facility, origin and inputs.
 *
 * <p>A tenant registers a GTIN and lot once: its natural key is the pair, so registering it again collides. The
 * same facts again are a retry; other facts are an amendment, which must say which record it amends
 * ({@code supersedes}, part of the hashed record) so that the history stays readable: its natural key is the pair
 * and the amended record, and {@code keys.supersedes} links it as EPCIS error declarations are linked.
 * {@code keys.facts} is the SHA-256 of the canonical payload, to tell a retry from an amendment.
 */
@ApplicationScoped
public class ProductBatchType implements RecordType {
    /** The envelope type name of product batches. */
    public static final String NAME = "product.batch";
    /** Index field with the SHA-256 of the batch's canonical facts. */
    public static final String FACTS = RecordKeys.FACTS;
    private static final Set<String> KNOWN = Set.of("gtin", "lot", "quantity", "unit", "productionDate",
            "expiryDate", "facilityGln", "origin", "inputs", "certificates", "description", "supersedes");
    private static final Pattern UNIT = Pattern.compile("[A-Z0-9]{1,3}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ValidatedPayload validate(JsonNode payload, Validation v) {
        if (payload == null || !payload.isObject()) {
            v.fail("/payload", "type.object", "a product batch is a JSON object");
            return null;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        payload.fieldNames().forEachRemaining(f -> {
            if (!KNOWN.contains(f)) {
                v.fail("/payload/" + f, "field.unknown", "unknown field '" + f + "'");
            }
        });
        String gtin = gtin(payload.get("gtin"), "/payload/gtin", v);
        String lot = lot(payload.get("lot"), "/payload/lot", v);
        if (gtin != null) {
            out.put("gtin", gtin);
        }
        if (lot != null) {
            out.put("lot", lot);
        }
        JsonNode q = payload.get("quantity");
        if (q != null) {
            if (!isFiniteNumber(q) || q.decimalValue().compareTo(BigDecimal.ZERO) <= 0 || q.decimalValue().precision() > 18) {
                v.fail("/payload/quantity", "quantity.invalid", "quantity is a positive number with at most 18 digits");
            } else {
                out.put("quantity", q.decimalValue());
            }
            JsonNode unit = payload.get("unit");
            if (unit == null || !unit.isTextual() || !UNIT.matcher(unit.asText()).matches()) {
                v.fail("/payload/unit", "unit.invalid", "unit is a UN/ECE Recommendation 20 code such as KGM or H87");
            } else {
                out.put("unit", unit.asText());
            }
        }
        LocalDate produced = date(payload.get("productionDate"), "/payload/productionDate", v, out, "productionDate");
        LocalDate expires = date(payload.get("expiryDate"), "/payload/expiryDate", v, out, "expiryDate");
        if (produced != null && expires != null && expires.isBefore(produced)) {
            v.fail("/payload/expiryDate", "date.order", "expiryDate " + expires + " is before productionDate " + produced);
        }
        JsonNode gln = payload.get("facilityGln");
        if (gln != null) {
            if (!gln.isTextual() || !Gs1.isValidGln(gln.asText())) {
                v.fail("/payload/facilityGln", "gln.invalid", "a GLN is 13 digits with a valid GS1 check digit");
            } else {
                out.put("facilityGln", gln.asText());
            }
        }
        JsonNode origin = payload.get("origin");
        if (origin != null) {
            if (!origin.isTextual() || !COUNTRY.matcher(origin.asText()).matches()) {
                v.fail("/payload/origin", "origin.invalid", "origin is an ISO 3166-1 alpha-2 country code");
            } else {
                out.put("origin", origin.asText());
            }
        }
        JsonNode description = payload.get("description");
        if (description != null) {
            if (!description.isTextual() || description.asText().length() > 2000) {
                v.fail("/payload/description", "description.invalid", "description is text of at most 2000 characters");
            } else {
                out.put("description", description.asText());
            }
        }
        List<Document> inputKeys = inputs(payload.get("inputs"), v, out);
        certificates(payload.get("certificates"), v, out);
        JsonNode supersedes = payload.get("supersedes");
        if (supersedes != null && (!supersedes.isTextual() || !RecordIds.isValid(supersedes.asText()))) {
            v.fail("/payload/supersedes", "supersedes.invalid", "supersedes is the id of the record this one amends");
        } else if (supersedes != null) {
            out.put("supersedes", supersedes.asText());
        }
        if (!v.ok()) {
            return null;
        }
        String facts;
        try {
            facts = facts(out);
        } catch (ProofException e) {
            v.fail("/payload", "json.not-i-json", e.getMessage());
            return null;
        }
        Document index = new Document("gtin", gtin).append("lot", lot).append(FACTS, facts);
        if (!inputKeys.isEmpty()) {
            index.append("inputs", inputKeys);
        }
        String naturalKey = NAME + " " + gtin + " " + lot;
        if (supersedes != null) {
            index.append(RecordKeys.SUPERSEDES, List.of(supersedes.asText()));
            naturalKey += " amends " + supersedes.asText();
        }
        // Spaces are outside the GS1 AI 82 set, so no lot can make two keys equal.
        return new ValidatedPayload(out, index, naturalKey);
    }

    /** The same facts again are a retry (the stored record); other facts an amendment that did not say so. */
    @Override
    public IntakeResult registeredAgain(PendingRecord p, StoredRecord existing) {
        String facts = p.indexFields().getString(FACTS);
        return facts != null && facts.equals(existing.keys().getString(FACTS)) ? new IntakeResult.Accepted(existing)
                : new IntakeResult.FactsDiffer(existing);
    }

    /** Lower-case hex SHA-256 of the canonical (RFC 8785) normalised payload. */
    static String facts(ObjectNode normalised) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(CanonicalJson.canonicalize(normalised)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Jackson reads 1e400 as an infinite double, which has no decimal value. */
    private static boolean isFiniteNumber(JsonNode n) {
        return n.isNumber() && !(n.isFloatingPointNumber() && !n.isBigDecimal() && !Double.isFinite(n.doubleValue()));
    }

    private static String gtin(JsonNode n, String pointer, Validation v) {
        if (n == null || !n.isTextual()) {
            v.fail(pointer, "gtin.required", "gtin is required, as a string of digits");
            return null;
        }
        try {
            return Gs1.normaliseGtin(n.asText());
        } catch (IllegalArgumentException e) {
            String[] parts = e.getMessage().split(": ", 2);
            v.fail(pointer, parts[0], parts[1]);
            return null;
        }
    }

    private static String lot(JsonNode n, String pointer, Validation v) {
        if (n == null || !n.isTextual() || !Gs1.isValidLot(n.asText())) {
            v.fail(pointer, "lot.invalid", "lot is 1 to 20 characters from the GS1 AI 82 character set");
            return null;
        }
        return n.asText();
    }

    private static LocalDate date(JsonNode n, String pointer, Validation v, ObjectNode out, String field) {
        if (n == null) {
            return null;
        }
        try {
            LocalDate d = LocalDate.parse(n.asText());
            if (!n.isTextual()) {
                throw new DateTimeParseException("not text", n.toString(), 0);
            }
            out.put(field, d.toString());
            return d;
        } catch (DateTimeParseException e) {
            v.fail(pointer, "date.invalid", field + " is an ISO 8601 calendar date (YYYY-MM-DD)");
            return null;
        }
    }

    private static List<Document> inputs(JsonNode n, Validation v, ObjectNode out) {
        List<Document> keys = new ArrayList<>();
        if (n == null) {
            return keys;
        }
        if (!n.isArray() || n.size() > 1000) {
            v.fail("/payload/inputs", "inputs.invalid", "inputs is an array of at most 1000 {gtin, lot} objects");
            return keys;
        }
        ArrayNode arr = out.putArray("inputs");
        for (int i = 0; i < n.size(); i++) {
            String p = "/payload/inputs/" + i;
            JsonNode in = n.get(i);
            String g = gtin(in.get("gtin"), p + "/gtin", v);
            String l = lot(in.get("lot"), p + "/lot", v);
            if (g != null && l != null) {
                arr.addObject().put("gtin", g).put("lot", l);
                keys.add(new Document("gtin", g).append("lot", l));
            }
        }
        return keys;
    }

    private static void certificates(JsonNode n, Validation v, ObjectNode out) {
        if (n == null) {
            return;
        }
        if (!n.isArray() || n.size() > 100) {
            v.fail("/payload/certificates", "certificates.invalid", "certificates is an array of at most 100 {name, sha256}");
            return;
        }
        ArrayNode arr = out.putArray("certificates");
        for (int i = 0; i < n.size(); i++) {
            JsonNode c = n.get(i);
            JsonNode sha = c.get("sha256");
            if (sha == null || !sha.isTextual() || !SHA256.matcher(sha.asText()).matches()) {
                v.fail("/payload/certificates/" + i + "/sha256", "digest.invalid", "sha256 is 64 lower-case hex digits");
                continue;
            }
            ObjectNode o = arr.addObject().put("sha256", sha.asText());
            JsonNode name = c.get("name");
            if (name != null && !name.isNull() && !name.isTextual()) {
                v.fail("/payload/certificates/" + i + "/name", "certificates.invalid", "name is text");
            } else if (name != null && name.isTextual()) {
                o.put("name", name.asText());
            }
        }
    }
}
