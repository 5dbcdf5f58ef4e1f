package io.tracemark.ingest.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.ingest.records.RecordType;
import io.tracemark.ingest.records.ValidatedPayload;
import io.tracemark.ingest.records.Validation;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A GS1 EPCIS 2.0 event (JSON-LD), stored as sent plus its CBV 2.0 event hash ID.
 *
 * <p>An event without {@code eventID} gets its hash ID as eventID. Its natural key is the hash ID, so
 * the same event sent again is a duplicate; an error declaration (EPCIS 2.0 §7.4.1.2) repeats the
 * erroneous event's fields and so its hash, and is keyed apart from it so that both are kept.
 *
 * @see <a href="https://ref.gs1.org/standards/epcis/">EPCIS 2.0 §7 (event types) and §9 (JSON binding)</a>
 */
@ApplicationScoped
public class EpcisEventType implements RecordType {
    /** The envelope type name of EPCIS events. */
    public static final String NAME = "epcis.event";
    /** The five EPCIS 2.0 event types. */
    public static final Set<String> EVENT_TYPES = Set.of("ObjectEvent", "AggregationEvent", "TransactionEvent",
            "TransformationEvent", "AssociationEvent");
    private static final Set<String> ACTIONS = Set.of("ADD", "OBSERVE", "DELETE");
    private static final Pattern TZ_OFFSET = Pattern.compile("[+-](0\\d|1[0-4]):[0-5]\\d");
    private static final Pattern URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:\\S+");
    private static final Pattern UOM = Pattern.compile("[A-Z0-9]{2,3}");
    private static final int MAX_LIST = 10_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ValidatedPayload validate(JsonNode payload, Validation v) {
        if (payload == null || !payload.isObject()) {
            v.fail("/payload", "type.object", "an EPCIS event is a JSON object");
            return null;
        }
        ObjectNode ev = (ObjectNode) payload;
        String type = ev.path("type").asText(null);
        if (type == null || !EVENT_TYPES.contains(type)) {
            v.fail("/payload/type", "epcis.event-type", "type is one of " + EVENT_TYPES.stream().sorted().toList());
            return null;
        }
        dateTime(ev.get("eventTime"), "/payload/eventTime", "epcis.event-time", v);
        JsonNode tz = ev.get("eventTimeZoneOffset");
        if (tz == null || !tz.isTextual() || !TZ_OFFSET.matcher(tz.asText()).matches()) {
            v.fail("/payload/eventTimeZoneOffset", "epcis.timezone-offset", "eventTimeZoneOffset is required, as ±hh:mm");
        }
        JsonNode action = ev.get("action");
        if (!type.equals("TransformationEvent")) {
            if (action == null || !action.isTextual() || !ACTIONS.contains(action.asText())) {
                v.fail("/payload/action", "epcis.action", type + " requires action ADD, OBSERVE or DELETE");
            }
        } else if (action != null) {
            v.fail("/payload/action", "epcis.action", "a TransformationEvent has no action");
        }
        if (type.equals("TransactionEvent") && !nonEmptyArray(ev.get("bizTransactionList"))) {
            v.fail("/payload/bizTransactionList", "epcis.biz-transaction-required",
                    "a TransactionEvent names at least one business transaction");
        }
        boolean parentRequired = type.equals("AssociationEvent")
                || (type.equals("AggregationEvent") && !"OBSERVE".equals(action == null ? null : action.asText()));
        JsonNode parent = ev.get("parentID");
        if (parentRequired && (parent == null || !parent.isTextual() || !URI.matcher(parent.asText()).matches())) {
            v.fail("/payload/parentID", "epcis.parent-id-required", type + " with this action requires parentID (a URI)");
        }
        JsonNode eventId = ev.get("eventID");
        if (eventId != null && (!eventId.isTextual() || !URI.matcher(eventId.asText()).matches())) {
            v.fail("/payload/eventID", "epcis.event-id", "eventID is a URI, e.g. urn:uuid:… or ni:///sha-256;…");
        }
        for (String list : List.of("epcList", "childEPCs", "inputEPCList", "outputEPCList")) {
            uriList(ev.get(list), "/payload/" + list, v);
        }
        for (String list : List.of("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")) {
            quantities(ev.get(list), "/payload/" + list, v);
        }
        List<String> corrective = errorDeclaration(ev.get("errorDeclaration"), v);
        if (!v.ok()) {
            return null;
        }
        String hashId;
        try {
            hashId = EventHashIds.of(ev);
        } catch (RuntimeException e) {
            v.fail("/payload", "epcis.hash-failed", "the CBV 2.0 event hash ID cannot be computed: " + e.getMessage());
            return null;
        }
        ObjectNode normalised = ev.deepCopy();
        if (eventId == null) {
            normalised.put("eventID", hashId);
        }
        boolean declaration = ev.has("errorDeclaration");
        Document keys = new Document("eventHashId", hashId)
                .append("eventId", normalised.get("eventID").asText())
                .append("eventType", type)
                .append("eventTime", ev.get("eventTime").asText())
                .append("declaration", declaration);
        if (declaration) {
            keys.append("correctiveEventIds", corrective);
        }
        if (ev.path("bizStep").isTextual()) {
            keys.append("bizStep", ev.get("bizStep").asText());
        }
        appendBatchKeys(ev, keys);
        return new ValidatedPayload(normalised, keys, naturalKey(hashId, declaration));
    }

    /**
     * Index fields that let the store find an event by the batches it concerns: {@code epcs} (every
     * EPC and class), {@code gtin}/{@code lot} (arrays when several) and {@code batches} [{gtin, lot}].
     */
    private static void appendBatchKeys(JsonNode ev, Document keys) {
        java.util.List<String> ids = EpcisIdentifiers.identifiers(ev);
        java.util.Set<String> gtins = new java.util.LinkedHashSet<>();
        java.util.Set<String> lots = new java.util.LinkedHashSet<>();
        java.util.List<Document> batches = new java.util.ArrayList<>();
        for (String id : ids) {
            EpcisIdentifiers.Batch b = EpcisIdentifiers.batchOf(id);
            if (b == null || b.gtin() == null) {
                continue;
            }
            gtins.add(b.gtin());
            if (b.lot() != null) {
                lots.add(b.lot());
                Document pair = new Document("gtin", b.gtin()).append("lot", b.lot());
                if (!batches.contains(pair)) {
                    batches.add(pair);
                }
            }
        }
        if (!ids.isEmpty()) {
            keys.append("epcs", ids.size() > 1000 ? ids.subList(0, 1000) : ids);
        }
        if (!gtins.isEmpty()) {
            keys.append("gtin", gtins.size() == 1 ? gtins.iterator().next() : java.util.List.copyOf(gtins));
        }
        if (!lots.isEmpty()) {
            keys.append("lot", lots.size() == 1 ? lots.iterator().next() : java.util.List.copyOf(lots));
            keys.append("batches", batches);
        }
    }

    /** The per-tenant unique key of an event: its hash ID, kept apart for error declarations. */
    public static String naturalKey(String hashId, boolean declaration) {
        return "epcis:" + hashId + (declaration ? "#error-declaration" : "");
    }

    private static boolean nonEmptyArray(JsonNode n) {
        return n != null && n.isArray() && !n.isEmpty();
    }

    private static void dateTime(JsonNode n, String pointer, String code, Validation v) {
        if (n == null || !n.isTextual()) {
            v.fail(pointer, code, "a date-time with offset is required (ISO 8601, e.g. 2026-01-31T12:00:00+01:00)");
            return;
        }
        try {
            OffsetDateTime.parse(n.asText());
        } catch (DateTimeParseException e) {
            v.fail(pointer, code, "'" + n.asText() + "' is not an ISO 8601 date-time with offset");
        }
    }

    private static void uriList(JsonNode n, String pointer, Validation v) {
        if (n == null) {
            return;
        }
        if (!n.isArray() || n.size() > MAX_LIST) {
            v.fail(pointer, "epcis.epc-list", "an array of at most " + MAX_LIST + " EPC URIs");
            return;
        }
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isTextual() || !URI.matcher(n.get(i).asText()).matches()) {
                v.fail(pointer + "/" + i, "epcis.epc-list", "an EPC is a URI (EPC URN or GS1 Digital Link)");
            }
        }
    }

    private static void quantities(JsonNode n, String pointer, Validation v) {
        if (n == null) {
            return;
        }
        if (!n.isArray() || n.size() > MAX_LIST) {
            v.fail(pointer, "epcis.quantity", "an array of at most " + MAX_LIST + " quantity elements");
            return;
        }
        for (int i = 0; i < n.size(); i++) {
            JsonNode q = n.get(i);
            String p = pointer + "/" + i;
            if (!q.isObject() || !q.path("epcClass").isTextual() || !URI.matcher(q.path("epcClass").asText()).matches()) {
                v.fail(p + "/epcClass", "epcis.quantity", "each quantity element names an epcClass URI");
                continue;
            }
            JsonNode qty = q.get("quantity");
            boolean finite = qty != null && qty.isNumber()
                    && !(qty.isFloatingPointNumber() && !qty.isBigDecimal() && !Double.isFinite(qty.doubleValue()));
            if (qty != null && (!finite || qty.decimalValue().signum() < 0)) {
                v.fail(p + "/quantity", "epcis.quantity", "quantity is a non-negative number");
            }
            JsonNode uom = q.get("uom");
            if (uom != null && (!uom.isTextual() || !UOM.matcher(uom.asText()).matches())) {
                v.fail(p + "/uom", "epcis.uom", "uom is a UN/ECE Recommendation 20 code such as KGM");
            }
            if (uom != null && qty == null) {
                v.fail(p + "/quantity", "epcis.quantity", "a uom needs a quantity");
            }
        }
    }

    private static List<String> errorDeclaration(JsonNode n, Validation v) {
        List<String> corrective = new ArrayList<>();
        if (n == null) {
            return corrective;
        }
        if (!n.isObject()) {
            v.fail("/payload/errorDeclaration", "epcis.error-declaration", "errorDeclaration is an object");
            return corrective;
        }
        dateTime(n.get("declarationTime"), "/payload/errorDeclaration/declarationTime", "epcis.error-declaration", v);
        JsonNode ids = n.get("correctiveEventIDs");
        if (ids != null) {
            if (!ids.isArray() || ids.size() > 1000) {
                v.fail("/payload/errorDeclaration/correctiveEventIDs", "epcis.error-declaration",
                        "correctiveEventIDs is an array of at most 1000 event IDs");
                return corrective;
            }
            for (int i = 0; i < ids.size(); i++) {
                if (!ids.get(i).isTextual() || !URI.matcher(ids.get(i).asText()).matches()) {
                    v.fail("/payload/errorDeclaration/correctiveEventIDs/" + i, "epcis.event-id", "an event ID is a URI");
                } else {
                    corrective.add(ids.get(i).asText());
                }
            }
        }
        return corrective;
    }
}
