package io.tracemark.verify.resolver;

import io.tracemark.contracts.records.RecordKeys;
import io.tracemark.verify.receipts.RecordsView;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which records a Digital Link page shows, by key, so that the page reads the store only by {@code _id}: product
 * batches by GTIN and lot, the batches that list a GTIN and lot among their inputs, and EPCIS events by GTIN and lot
 * and by EPC; and the records that declare they supersede a record (amendments and EPCIS error declarations), so that
 * verification's {@code record.superseded} check reads nothing. Holds record ids only (see docs/resolver.md for its
 * size); facts are read from the store.
 */
public final class BatchIndex {
    private static final String[] NONE = new String[0];
    private final Map<String, String[]> ids = new ConcurrentHashMap<>();

    /** Product batch records of this GTIN and lot. */
    public List<String> batches(String gtin, String lot) {
        return get(key('b', gtin, lot));
    }

    /** Product batch records that list this GTIN and lot among their inputs. */
    public List<String> outputsOf(String gtin, String lot) {
        return get(key('o', gtin, lot));
    }

    /** EPCIS event records about this GTIN and lot, and those naming {@code epc} when it is not null. */
    public List<String> events(String gtin, String lot, String epc) {
        List<String> out = new ArrayList<>(get(key('e', gtin, lot)));
        if (epc != null) {
            get(key('s', epc, "")).stream().filter(id -> !out.contains(id)).forEach(out::add);
        }
        return out;
    }

    /** Records declaring in {@code keys.supersedes} that they supersede {@code recordId}, in the order they were indexed. */
    public List<String> supersedersOf(String recordId) {
        return get(key('x', recordId, ""));
    }

    /** Number of keys held. */
    public int size() {
        return ids.size();
    }

    /**
     * Indexes one stored record from its type and index fields ({@code keys}, as ingest stores them); a record added
     * twice is held once.
     */
    public void add(String recordId, String type, Document keys) {
        if (keys == null) {
            return;
        }
        for (Object superseded : list(keys.get(RecordKeys.SUPERSEDES))) {
            put(key('x', superseded, ""), recordId);
        }
        if (RecordsView.PRODUCT_BATCH.equals(type)) {
            put(key('b', keys.get("gtin"), keys.get("lot")), recordId);
            for (Object in : list(keys.get("inputs"))) {
                if (in instanceof Document d) {
                    put(key('o', d.get("gtin"), d.get("lot")), recordId);
                }
            }
        } else if (RecordsView.EPCIS_EVENT.equals(type)) {
            // As the store matched {keys.gtin: g, keys.lot: l}: any of the event's GTINs with any of its lots.
            for (Object g : list(keys.get("gtin"))) {
                for (Object l : list(keys.get("lot"))) {
                    put(key('e', g, l), recordId);
                }
            }
            for (Object epc : list(keys.get("epcs"))) {
                put(key('s', epc, ""), recordId);
            }
        }
    }

    private List<String> get(String key) {
        return key == null ? List.of() : Arrays.asList(ids.getOrDefault(key, NONE));
    }

    private void put(String key, String recordId) {
        if (key == null) {
            return;
        }
        ids.compute(key, (k, held) -> {
            if (held == null) {
                return new String[] {recordId};
            }
            for (String id : held) {
                if (id.equals(recordId)) {
                    return held;
                }
            }
            String[] more = Arrays.copyOf(held, held.length + 1);
            more[held.length] = recordId;
            return more;
        });
    }

    /** A map key: kind, then the two parts, separated by a character no GTIN, lot or EPC URI holds. */
    private static String key(char kind, Object a, Object b) {
        return a instanceof String x && b instanceof String y ? kind + x + '\u0000' + y : null;
    }

    private static List<?> list(Object v) {
        return v instanceof List<?> l ? l : v == null ? List.of() : List.of(v);
    }
}
