package io.tracemark.ingest.product;

import io.tracemark.edge.problem.Problem;
import io.tracemark.ingest.records.IntakeCheck;
import io.tracemark.ingest.records.IntakeResult;
import io.tracemark.ingest.records.PendingRecord;
import io.tracemark.ingest.records.RecordStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An amendment ({@code supersedes}) must name a product batch of the same tenant, GTIN and lot; anything else
 * would let a record rewrite another batch's history. The amended records are read by {@code _id} in one query.
 */
@ApplicationScoped
public class BatchAmendments implements IntakeCheck {
    private final RecordStore store;

    public BatchAmendments(RecordStore store) {
        this.store = store;
    }

    @Override
    public Map<Integer, IntakeResult.Invalid> check(String tenant, List<PendingRecord> batch) {
        Set<String> amended = new LinkedHashSet<>();
        for (PendingRecord p : batch) {
            String id = amends(p);
            if (id != null) {
                amended.add(id);
            }
        }
        Map<Integer, IntakeResult.Invalid> refused = new HashMap<>();
        if (amended.isEmpty()) {
            return refused;
        }
        Map<String, Document> found = new HashMap<>();
        store.findByIds(List.copyOf(amended)).forEach(d -> found.put(d.getString("_id"), d));
        for (int i = 0; i < batch.size(); i++) {
            PendingRecord p = batch.get(i);
            String id = amends(p);
            if (id == null) {
                continue;
            }
            Document target = found.get(id);
            if (target == null || !tenant.equals(target.getString("tenant"))) {
                refused.put(i, refusal("supersedes.unknown", "this tenant has no record " + id));
                continue;
            }
            Document k = target.get("keys", Document.class);
            if (!ProductBatchType.NAME.equals(target.getString("type")) || k == null
                    || !p.indexFields().getString("gtin").equals(k.getString("gtin"))
                    || !p.indexFields().getString("lot").equals(k.getString("lot"))) {
                refused.put(i, refusal("supersedes.other-batch", "record " + id + " is not a registration of GTIN "
                        + p.indexFields().getString("gtin") + " lot " + p.indexFields().getString("lot")));
            }
        }
        return refused;
    }

    private static String amends(PendingRecord p) {
        if (!ProductBatchType.NAME.equals(p.envelope().type())) {
            return null;
        }
        Object s = p.indexFields().get("supersedes");
        return s instanceof List<?> l && !l.isEmpty() ? String.valueOf(l.get(0)) : null;
    }

    private static IntakeResult.Invalid refusal(String code, String detail) {
        return new IntakeResult.Invalid("validation", "Record is invalid",
                List.of(new Problem.FieldError("/payload/supersedes", code, detail)));
    }
}
