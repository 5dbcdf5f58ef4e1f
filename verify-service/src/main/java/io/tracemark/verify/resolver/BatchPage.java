package io.tracemark.verify.resolver;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * The batch page with its facts already in the HTML, so a shopper who scans the QR code reads the product,
 * its dates, who registered it and when, and the supply-chain timeline without JavaScript. batch.js then
 * redraws the same sections and adds the in-browser proof badges. Every value is HTML-escaped.
 */
final class BatchPage {
    private BatchPage() {
    }

    /** {@code template} (batch.html) filled with what {@link BatchView#resolve} found. */
    @SuppressWarnings("unchecked")
    static String render(String template, Map<String, Object> batch) {
        JsonNode p = batch.get("product") instanceof JsonNode n ? n : null;
        String lot = String.valueOf(batch.get("lot"));
        String title = (p != null && p.hasNonNull("description") ? p.get("description").asText() : "Product") + " · lot " + lot;
        StringBuilder facts = new StringBuilder();
        row(facts, "GTIN", batch.get("gtin"));
        row(facts, "Lot", lot);
        if (p != null) {
            row(facts, "Quantity", p.hasNonNull("quantity") ? p.get("quantity").asText() + " " + p.path("unit").asText("") : null);
            row(facts, "Produced", text(p, "productionDate"));
            row(facts, "Best before", text(p, "expiryDate"));
            row(facts, "Facility (GLN)", text(p, "facilityGln"));
            row(facts, "Origin", text(p, "origin"));
        }
        for (Map<String, Object> reg : (List<Map<String, Object>>) batch.get("registrations")) {
            row(facts, String.valueOf(reg.get("label")), registered(reg)
                    + (reg.get("supersededBy") == null ? "" : ", amended by record " + reg.get("supersededBy")));
        }
        StringBuilder events = new StringBuilder();
        for (Map<String, Object> ev : (List<Map<String, Object>>) batch.get("events")) {
            String step = String.valueOf(ev.get("bizStep") == null ? "event" : ev.get("bizStep")).replaceAll("^.*[/:]", "");
            events.append("<li data-step=\"").append(esc(ev.get("recordId"))).append("\"><strong>").append(esc(step))
                    .append("</strong> · ").append(esc(ev.get("eventType"))).append(" · <time>").append(esc(ev.get("eventTime")))
                    .append("</time> · registered by ").append(esc(ev.get("tenant")))
                    .append(Boolean.FALSE.equals(ev.get("brandOwner")) ? ", not the brand owner" : "")
                    .append(" · ").append(esc(registered(ev)))
                    .append("</li>\n");
        }
        if (events.isEmpty()) {
            events.append("<li>No events recorded</li>");
        }
        Map<String, Object> lineage = (Map<String, Object>) batch.get("lineage");
        return template
                .replace("<title>Product batch · Tracemark</title>", "<title>Lot " + esc(lot) + " · Tracemark</title>")
                .replace("<h1 id=\"title\">Product batch</h1>", "<h1 id=\"title\">" + esc(title) + "</h1>")
                .replace("<p id=\"status\" class=\"muted\" aria-live=\"polite\">Loading…</p>",
                        "<p id=\"status\" class=\"muted\" aria-live=\"polite\">GTIN " + esc(batch.get("gtin")) + ", lot " + esc(lot)
                                + (batch.get("serial") == null ? "" : ", serial " + esc(batch.get("serial"))) + "</p>")
                .replace("<div class=\"card\" id=\"product\" hidden>", "<div class=\"card\" id=\"product\">")
                .replace("<img class=\"qr\" id=\"qr\" ", "<img class=\"qr\" id=\"qr\" src=\"?format=qr\" ")
                .replace("<tbody id=\"productFacts\"></tbody>", "<tbody id=\"productFacts\">" + facts + "</tbody>")
                .replace("<ul id=\"inputs\"></ul>", "<ul id=\"inputs\">" + links((List<Map<String, Object>>) lineage.get("inputs"),
                        "No inputs recorded") + "</ul>")
                .replace("<ul id=\"outputs\"></ul>", "<ul id=\"outputs\">" + links((List<Map<String, Object>>) lineage.get("outputs"),
                        "Not used in any registered batch") + "</ul>")
                .replace("<ol class=\"timeline\" id=\"events\"></ol>", "<ol class=\"timeline\" id=\"events\">" + events + "</ol>");
    }

    /** When a step was registered and, once anchored, when the log sealed it. */
    @SuppressWarnings("unchecked")
    private static String registered(Map<String, Object> step) {
        Map<String, Object> anchor = (Map<String, Object>) step.get("anchor");
        String at = "registered " + step.get("receivedAt");
        return anchor != null && anchor.get("anchoredAt") != null ? at + ", anchored " + anchor.get("anchoredAt")
                : at + ", not anchored yet";
    }

    private static String links(List<Map<String, Object>> items, String none) {
        if (items == null || items.isEmpty()) {
            return "<li>" + esc(none) + "</li>";
        }
        StringBuilder out = new StringBuilder();
        for (Map<String, Object> i : items) {
            out.append("<li><a href=\"").append(esc(i.get("digitalLink"))).append("\">GTIN ").append(esc(i.get("gtin")))
                    .append(" lot ").append(esc(i.get("lot"))).append("</a>")
                    .append(Boolean.FALSE.equals(i.get("registered")) ? " (not registered)" : "").append("</li>");
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String name, Object value) {
        if (value != null && !String.valueOf(value).isBlank()) {
            out.append("<tr><th scope=\"row\">").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>");
        }
    }

    private static String text(JsonNode p, String field) {
        return p.hasNonNull(field) ? p.get(field).asText() : null;
    }

    /** HTML-escapes text for element content and double-quoted attributes. */
    static String esc(Object value) {
        String s = value == null ? "" : String.valueOf(value);
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
