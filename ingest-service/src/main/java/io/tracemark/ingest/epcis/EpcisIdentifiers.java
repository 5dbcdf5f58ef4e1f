package io.tracemark.ingest.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracemark.ingest.product.Gs1;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The identifiers an EPCIS 2.0 event is about, so the record store can answer "which events concern
 * this batch": every instance EPC and class of the event, and the GTIN/lot pairs they denote in GS1
 * EPC URN form (TDS 2.1 §6: {@code sgtin}, {@code lgtin}) or GS1 Digital Link form
 * ({@code …/01/<gtin>/10/<lot>}, {@code …/01/<gtin>/21/<serial>}).
 */
public final class EpcisIdentifiers {
    private static final Pattern SGTIN = Pattern.compile("urn:epc:id:sgtin:(\\d+)\\.(\\d+)\\.(.+)");
    private static final Pattern LGTIN = Pattern.compile("urn:epc:class:lgtin:(\\d+)\\.(\\d+)\\.(.+)");
    private static final Pattern DIGITAL_LINK = Pattern.compile("https?://[^/]+(?:/.*)?/01/(\\d{14})(?:/10/([^/?#]+))?(?:/21/[^/?#]+)?/?(?:[?#].*)?");
    private static final String[] EPC_LISTS = {"epcList", "childEPCs", "inputEPCList", "outputEPCList"};
    private static final String[] QUANTITY_LISTS = {"quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"};

    private EpcisIdentifiers() {
    }

    /** A GTIN-14 and, where the identifier names one, a lot. */
    public record Batch(String gtin, String lot) {
    }

    /** The instance EPCs and classes an event names, in order, without repeats. */
    public static List<String> identifiers(JsonNode event) {
        Set<String> out = new LinkedHashSet<>();
        if (event.path("parentID").isTextual()) {
            out.add(event.get("parentID").asText());
        }
        for (String list : EPC_LISTS) {
            event.path(list).forEach(e -> {
                if (e.isTextual()) {
                    out.add(e.asText());
                }
            });
        }
        for (String list : QUANTITY_LISTS) {
            event.path(list).forEach(q -> {
                if (q.path("epcClass").isTextual()) {
                    out.add(q.get("epcClass").asText());
                }
            });
        }
        return new ArrayList<>(out);
    }

    /** The GTIN (and lot, when present) an identifier denotes, or null for other identifiers. */
    public static Batch batchOf(String id) {
        Matcher m = SGTIN.matcher(id);
        if (m.matches()) {
            return new Batch(gtin(m.group(1), m.group(2)), null);
        }
        m = LGTIN.matcher(id);
        if (m.matches()) {
            return new Batch(gtin(m.group(1), m.group(2)), decode(m.group(3)));
        }
        m = DIGITAL_LINK.matcher(id);
        if (m.matches() && Gs1.hasValidCheckDigit(m.group(1))) {
            return new Batch(m.group(1), m.group(2) == null ? null : decode(m.group(2)));
        }
        return null;
    }

    /** GTIN-14 from an EPC company prefix and item reference (indicator digit first in the item reference). */
    static String gtin(String companyPrefix, String itemReference) {
        if (companyPrefix.length() + itemReference.length() != 13 || itemReference.isEmpty()) {
            return null;
        }
        String body = itemReference.charAt(0) + companyPrefix + itemReference.substring(1);
        return body + Gs1.checkDigit(body);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
