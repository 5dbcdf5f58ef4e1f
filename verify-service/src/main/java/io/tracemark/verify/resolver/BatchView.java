package io.tracemark.verify.resolver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.contracts.records.RecordContent;
import io.tracemark.contracts.records.RecordKeys;
import io.tracemark.verify.receipts.RecordsView;
import io.tracemark.verify.records.Registration;
import io.tracemark.verify.records.Registrations;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a Digital Link resolves to: the product batch as registered, its lineage (input batches and
 * the batches made from it), and its EPCIS event timeline, each step with its anchoring state.
 */
@ApplicationScoped
public class BatchView {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RecordsView view;
    private final Registrations registrations;
    private final BatchIndexFeed feed;

    public BatchView(RecordsView view, Registrations registrations, BatchIndexFeed feed) {
        this.view = view;
        this.registrations = registrations;
        this.feed = feed;
    }

    /** The batch document, or null when nothing is registered under this GTIN and lot. */
    public Map<String, Object> resolve(String linkBase, String gtin, String lot, String serial) {
        BatchIndex index = feed.index();
        List<Registration> batches = registrations.load(view.oldestFirst(index.batches(gtin, lot)));
        String epc = serial == null ? null : "https://id.gs1.org/01/" + gtin + "/21/" + serial;
        List<Registration> events = registrations.load(view.inEventTimeOrder(index.events(gtin, lot, epc)));
        if (batches.isEmpty() && events.isEmpty()) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("digitalLink", DigitalLinks.uri(linkBase, gtin, lot, serial));
        m.put("gtin", gtin);
        m.put("lot", lot);
        m.put("serial", serial);
        Registration current = current(batches);
        JsonNode payload = current == null ? null : payloadOf(current);
        m.put("product", payload);
        m.put("registrations", batches.stream().map(r -> registration(r, r == current, batches)).toList());
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("inputs", inputs(index, payload));
        lineage.put("outputs", registrations.load(view.oldestFirst(index.outputsOf(gtin, lot))).stream()
                .map(r -> link(linkBase, r)).toList());
        m.put("lineage", lineage);
        List<Map<String, Object>> timeline = new ArrayList<>();
        for (Registration e : events) {
            Map<String, Object> s = step(e);
            Document k = e.contentPublic() ? e.record().get("keys", Document.class) : null;
            s.put("eventTime", k == null ? null : String.valueOf(k.get("eventTime")));
            s.put("bizStep", k == null ? null : k.getString("bizStep"));
            JsonNode p = payloadOf(e);
            String type = k == null ? null : k.getString("eventType");
            s.put("eventType", type != null ? type : p == null ? null : p.path("type").asText(null));
            timeline.add(s);
        }
        m.put("events", timeline);
        return m;
    }

    private List<Map<String, Object>> inputs(BatchIndex index, JsonNode payload) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (payload == null) {
            return out;
        }
        for (JsonNode in : payload.path("inputs")) {
            String g = in.path("gtin").asText();
            String l = in.path("lot").asText();
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("gtin", g);
            i.put("lot", l);
            i.put("digitalLink", DigitalLinks.path(g, l, null));
            List<Registration> regs = registrations.load(view.oldestFirst(index.batches(g, l)));
            i.put("registered", !regs.isEmpty());
            i.put("recordId", regs.isEmpty() ? null : regs.get(0).recordId());
            out.add(i);
        }
        return out;
    }

    private static Map<String, Object> link(String linkBase, Registration r) {
        Document k = r.record().get("keys", Document.class);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("gtin", k.getString("gtin"));
        o.put("lot", k.getString("lot"));
        o.put("digitalLink", DigitalLinks.path(k.getString("gtin"), k.getString("lot"), null));
        o.put("recordId", r.recordId());
        return o;
    }

    /**
     * The registration whose facts the page shows: one no other registration amends, the brand owner's before
     * anyone else's, then the first in priority order. A registrant's amendments supersede its earlier facts.
     */
    static Registration current(List<Registration> batches) {
        Set<String> amended = new HashSet<>();
        batches.forEach(b -> amended.addAll(listOf(keys(b), RecordKeys.SUPERSEDES)));
        return batches.stream().filter(b -> !amended.contains(b.recordId()))
                .min(Comparator.comparing((Registration b) -> !brandOwner(b))).orElse(null);
    }

    /** A registration of the batch in the history: what it amends, what amends it, whether it is the brand owner's. */
    private static Map<String, Object> registration(Registration r, boolean current, List<Registration> all) {
        Map<String, Object> s = step(r);
        List<String> amends = listOf(keys(r), RecordKeys.SUPERSEDES);
        s.put("supersedes", amends.isEmpty() ? null : amends.get(0));
        s.put("supersededBy", all.stream().filter(o -> listOf(keys(o), RecordKeys.SUPERSEDES).contains(r.recordId()))
                .map(Registration::recordId).findFirst().orElse(null));
        s.put("current", current);
        s.put("label", (amends.isEmpty() ? "Registered by " : "Amended by ") + r.tenant()
                + (brandOwner(r) ? "" : ", not the brand owner"));
        return s;
    }

    /** One step of the history with its proof badge: anchoring state, where its receipt is, and whether its registrant owns the brand. */
    private static Map<String, Object> step(Registration r) {
        Map<String, Object> s = r.toJson();
        s.remove("keys");
        s.put("proof", r.anchored() ? "anchored" : "pending");
        s.put("brandOwner", brandOwner(r));
        return s;
    }

    /** False when ingest let the record through naming a GTIN outside its registrant's company prefixes. */
    private static boolean brandOwner(Registration r) {
        return listOf(keys(r), RecordKeys.UNOWNED_GTINS).isEmpty();
    }

    private static Document keys(Registration r) {
        Document k = r.record().get("keys", Document.class);
        return k == null ? new Document() : k;
    }

    private static List<String> listOf(Document keys, String field) {
        return keys.get(field) instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    /** The facts of a registration whose content is public, else null. */
    private static JsonNode payloadOf(Registration r) {
        String canonical = r.contentPublic() ? r.record().getString(RecordContent.CANONICAL) : null;
        if (canonical == null) {
            return null;
        }
        try {
            return JSON.readTree(canonical).get("payload");
        } catch (IOException e) {
            return null;
        }
    }
}
