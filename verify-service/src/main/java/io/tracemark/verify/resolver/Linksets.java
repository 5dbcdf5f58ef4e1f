package io.tracemark.verify.resolver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The links a Digital Link resolves to, as the GS1-Conformant resolver standard 1.1 (§6) publishes them:
 * an RFC 9264 linkset ({@code application/linkset+json}) keyed by GS1 Web Vocabulary link types, and the
 * RFC 8288 {@code Link} header every answer carries.
 */
public final class Linksets {
    /** Media type of an RFC 9264 JSON linkset. */
    public static final String MEDIA_TYPE = "application/linkset+json";
    static final String DEFAULT_LINK = "https://gs1.org/voc/defaultLink";
    static final String PIP = "https://gs1.org/voc/pip";
    static final String TRACEABILITY = "https://gs1.org/voc/traceability";
    static final String CERTIFICATION_INFO = "https://gs1.org/voc/certificationInfo";
    /** The GS1 link types this resolver answers (besides {@code all}, the linkset). */
    static final List<String> LINK_TYPES = List.of(DEFAULT_LINK, PIP, TRACEABILITY, CERTIFICATION_INFO);
    /** OWL's sameAs as an RFC 8288 extension relation type: the canonical URI of what was asked. */
    static final String SAME_AS = "http://www.w3.org/2002/07/owl#sameAs";

    private Linksets() {
    }

    /** The GS1 link type a {@code linkType} parameter names ({@code gs1:pip} or the full URI), or null. */
    static String linkType(String param) {
        if (param == null) {
            return null;
        }
        String t = param.startsWith("gs1:") ? "https://gs1.org/voc/" + param.substring(4) : param;
        return LINK_TYPES.contains(t) ? t : null;
    }

    /**
     * The linkset of a resolved batch or item: its page (default link and product information page), its
     * traceability data (batch, lineage, EPCIS events, as JSON) and the receipt of every anchored registration
     * and event (certification information: offline-verifiable proof of what was registered when).
     */
    static Map<String, Object> of(String link, String base, Map<String, Object> resolved) {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("anchor", link);
        set.put(DEFAULT_LINK, List.of(target(link, "Product batch, its supply-chain timeline and proofs", "text/html")));
        set.put(PIP, List.of(target(link, "Product batch, its supply-chain timeline and proofs", "text/html")));
        set.put(TRACEABILITY, List.of(target(link + "?format=json", "Batch, lineage and EPCIS events with anchoring",
                "application/json")));
        List<Map<String, Object>> receipts = new ArrayList<>();
        for (String key : List.of("registrations", "events")) {
            if (resolved.get(key) instanceof List<?> steps) {
                for (Object o : steps) {
                    if (o instanceof Map<?, ?> step && "anchored".equals(step.get("proof"))) {
                        receipts.add(target(base + "/v1/receipts/" + step.get("recordId"),
                                "Receipt (tracemark.dev/receipt@v1) of record " + step.get("recordId"), "application/json"));
                    }
                }
            }
        }
        if (!receipts.isEmpty()) {
            set.put(CERTIFICATION_INFO, receipts);
        }
        return Map.of("linkset", List.of(set));
    }

    /** The {@code Link} header: where the linkset is, and the default link (RFC 8288 §3). */
    static String header(String link) {
        return "<" + link + "?linkType=all>; rel=\"linkset\"; type=\"" + MEDIA_TYPE + "\", <" + link
                + ">; rel=\"" + DEFAULT_LINK + "\"";
    }

    /**
     * The {@code Link} header of a link that resolves to nothing: the resolver description file (RFC 8631
     * {@code service-desc}, {@link ResolverDescriptionResource}) and, for a well-formed link, its canonical 14-digit form
     * ({@code owl:sameAs}, as GS1-Conformant resolvers state the canonical identifier); no linkset, as there is none.
     */
    static String unresolvedHeader(String base, String canonical) {
        String description = "<" + base + ResolverDescriptionResource.PATH + ">; rel=\"service-desc\"; type=\"application/json\"";
        return canonical == null ? description : "<" + canonical + ">; rel=\"" + SAME_AS + "\", " + description;
    }

    private static Map<String, Object> target(String href, String title, String type) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("href", href);
        t.put("title", title);
        t.put("type", type);
        return t;
    }
}
