package io.tracemark.ingest.records;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The record store: one MongoDB document per record, written in bulk.
 *
 * <p>Idempotency rests on the unique index over (tenant, idempotencyKey): a redelivered or retried
 * record collides with its first copy, and the first copy is what the caller gets back.
 */
@ApplicationScoped
@Startup
public class RecordStore {
    private final MongoClient mongo;
    private final String database;
    private final String collectionName;

    /** Outcome of storing one pending record. */
    public sealed interface Outcome permits Stored, Conflict {
    }

    /** Stored now, or found already stored from an identical earlier request. */
    public record Stored(StoredRecord record) implements Outcome {
    }

    /** The idempotency key was used before for a different request. */
    public record Conflict(StoredRecord existing) implements Outcome {
    }

    public RecordStore(MongoClient mongo,
                       @ConfigProperty(name = "tracemark.mongodb.database") String database,
                       @ConfigProperty(name = "tracemark.ingest.records-collection") String collectionName) {
        this.mongo = mongo;
        this.database = database;
        this.collectionName = collectionName;
    }

    @PostConstruct
    void ensureIndexes() {
        MongoCollection<Document> c = records();
        c.createIndex(Indexes.ascending("tenant", "idempotencyKey"),
                new IndexOptions().unique(true).name("tenant_idempotency"));
        c.createIndex(Indexes.ascending("digest"), new IndexOptions().name("digest"));
        c.createIndex(Indexes.ascending("keys.gtin", "keys.lot"), new IndexOptions().name("gtin_lot"));
    }

    MongoCollection<Document> records() {
        return mongo.getDatabase(database).getCollection(collectionName);
    }

    /** Stores a batch in one bulk write; returns one outcome per input, in input order. */
    public List<Outcome> storeAll(List<PendingRecord> batch) {
        List<Document> docs = new ArrayList<>(batch.size());
        for (PendingRecord p : batch) {
            docs.add(toDocument(p));
        }
        Map<Integer, BulkWriteError> failed = new HashMap<>();
        if (!docs.isEmpty()) {
            try {
                records().insertMany(docs, new InsertManyOptions().ordered(false));
            } catch (MongoBulkWriteException e) {
                for (BulkWriteError err : e.getWriteErrors()) {
                    if (ErrorCategory.fromErrorCode(err.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                        throw e;
                    }
                    failed.put(err.getIndex(), err);
                }
            }
        }
        List<Outcome> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            PendingRecord p = batch.get(i);
            if (!failed.containsKey(i)) {
                out.add(new Stored(toStored(docs.get(i), false)));
                continue;
            }
            Document existing = records().find(Filters.and(Filters.eq("tenant", p.envelope().tenant()),
                    Filters.eq("idempotencyKey", p.idempotencyKey()))).first();
            if (existing == null) {
                throw new IllegalStateException("duplicate key reported but no record found for key " + p.idempotencyKey());
            }
            StoredRecord prior = toStored(existing, true);
            out.add(p.requestHash().equals(existing.getString("requestHash")) ? new Stored(prior) : new Conflict(prior));
        }
        return out;
    }

    /** Finds a record of a tenant by id. */
    public Optional<Document> find(String tenant, String id) {
        Bson f = Filters.and(Filters.eq("_id", id), Filters.eq("tenant", tenant));
        return Optional.ofNullable(records().find(f).first());
    }

    /** Finds a record of a tenant by the idempotency key it was submitted with. */
    public Optional<Document> findByIdempotencyKey(String tenant, String key) {
        return Optional.ofNullable(records().find(Filters.and(Filters.eq("tenant", tenant),
                Filters.eq("idempotencyKey", key))).first());
    }

    private static Document toDocument(PendingRecord p) {
        Envelope e = p.envelope();
        return new Document("_id", e.id())
                .append("tenant", e.tenant())
                .append("type", e.type())
                .append("idempotencyKey", p.idempotencyKey())
                .append("requestHash", p.requestHash())
                .append("receivedAt", Date.from(e.receivedAt()))
                .append("salt", e.salt())
                .append("canonical", e.canonicalText())
                .append("digest", e.digestHex())
                .append("status", "accepted")
                .append("keys", p.indexFields());
    }

    private static StoredRecord toStored(Document d, boolean duplicate) {
        return new StoredRecord(d.getString("_id"), d.getString("tenant"), d.getString("type"),
                d.getString("digest"), d.getString("status"), d.getDate("receivedAt").toInstant(), duplicate);
    }
}
