package io.tracemark.ingest.epcis;

import com.mongodb.client.model.Filters;
import io.tracemark.ingest.records.BatchLinker;
import io.tracemark.ingest.records.PendingRecord;
import io.tracemark.ingest.records.RecordStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Links each EPCIS error declaration to the event(s) it declares erroneous, as
 * {@code keys.supersedes} (record ids) on the declaration's record.
 *
 * <p>The erroneous event is the one with the same event hash ID (the declaration repeats its fields)
 * or the same eventID (EPCIS 2.0 §7.4.1.2), stored before or earlier in the same batch. Neither
 * record is edited; readers find the supersession through the index on {@code keys.supersedes}.
 */
@ApplicationScoped
public class ErrorDeclarationLinker implements BatchLinker {
    private final RecordStore store;

    public ErrorDeclarationLinker(RecordStore store) {
        this.store = store;
    }

    @Override
    public void link(String tenant, List<PendingRecord> batch) {
        List<PendingRecord> declarations = new ArrayList<>();
        Set<String> hashes = new LinkedHashSet<>();
        Set<String> eventIds = new LinkedHashSet<>();
        for (PendingRecord p : batch) {
            if (EpcisEventType.NAME.equals(p.envelope().type()) && p.indexFields().getBoolean("declaration", false)) {
                declarations.add(p);
                hashes.add(EpcisEventType.naturalKey(p.indexFields().getString("eventHashId"), false));
                eventIds.add(p.indexFields().getString("eventId"));
            }
        }
        if (declarations.isEmpty()) {
            return;
        }
        List<Document> originals = store.findAll(tenant, Filters.and(Filters.eq("type", EpcisEventType.NAME),
                Filters.eq("keys.declaration", false),
                Filters.or(Filters.in("naturalKey", hashes), Filters.in("keys.eventId", eventIds))), 10_000);
        for (PendingRecord p : batch) {
            if (EpcisEventType.NAME.equals(p.envelope().type()) && !p.indexFields().getBoolean("declaration", false)) {
                originals.add(new Document("_id", p.envelope().id()).append("keys", p.indexFields()));
            }
        }
        for (PendingRecord d : declarations) {
            Set<String> supersedes = new LinkedHashSet<>();
            for (Document o : originals) {
                Document k = o.get("keys", Document.class);
                if (k.getString("eventHashId").equals(d.indexFields().getString("eventHashId"))
                        || k.getString("eventId").equals(d.indexFields().getString("eventId"))) {
                    supersedes.add(o.getString("_id"));
                }
            }
            d.indexFields().append("supersedes", new ArrayList<>(supersedes));
        }
    }
}
