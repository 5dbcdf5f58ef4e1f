package io.tracemark.ingest.records;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.tracemark.contracts.records.RecordContent;
import io.tracemark.contracts.records.RecordKeys;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;

import java.util.Date;
import java.util.Optional;

/**
 * Erases a record's content at its registrant's request: the canonical text and salt leave the record, a
 * tombstone ({@code erasedAt}, {@code erasedBy}) takes their place, and digest, keys and anchoring stay, so the
 * receipt still proves that some record with that digest existed at that time. Whoever kept the canonical text
 * can still prove it against the digest.
 */
@ApplicationScoped
public class RecordErasure {
    private final RecordStore store;

    public RecordErasure(RecordStore store) {
        this.store = store;
    }

    /** Erases a tenant's record; empty when the tenant has no such record. Erasing again keeps the first tombstone. */
    public Optional<Document> erase(String tenant, String id, String by) {
        // Read by _id alone (a unique key every server serves from its index), then check whose it is.
        Document d = store.records().find(Filters.eq("_id", id)).first();
        if (d == null || !tenant.equals(d.getString("tenant"))) {
            return Optional.empty();
        }
        if (d.get(RecordContent.ERASED_AT) == null) {
            store.records().updateOne(Filters.and(Filters.eq("_id", id), Filters.exists(RecordContent.ERASED_AT, false)),
                    Updates.combine(Updates.unset(RecordContent.SALT), Updates.unset(RecordContent.CANONICAL),
                            // An unsalted hash of the facts would let a guess be checked once the salt is gone.
                            Updates.unset("keys." + RecordKeys.FACTS),
                            Updates.set(RecordContent.ERASED_AT, new Date()), Updates.set(RecordContent.ERASED_BY, by)));
        }
        return Optional.ofNullable(store.records().find(Filters.eq("_id", id)).first());
    }
}
