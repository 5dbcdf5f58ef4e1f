package io.tracemark.ingest.records;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import io.quarkus.runtime.Startup;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.records.RecordContent;
import io.tracemark.ingest.lookup.LookupIndex;
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
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The record store: one MongoDB document per record, written in bulk.
 *
 * <p>Two unique indexes make every write idempotent without a read first: (tenant, idempotencyKey)
 * makes a redelivered or retried request collide with its first copy, and (tenant, naturalKey) makes
 * the same real-world record (e.g. the same EPCIS event by hash ID) collide even under a new key.
 * Only a collision costs a lookup, so the hot path stays one bulk insert per batch: one store write per
 * record. Media works add one bulk upsert per {@link LookupIndex} collection. A third unique index,
 * {@value #DIGEST_INDEX}, lets readers find a record by its digest on any server, without a lookup
 * collection written per record.
 */
@ApplicationScoped
@Startup
public class RecordStore {
    /** Name of the unique index on {@code digest}. */
    public static final String DIGEST_INDEX = "digest_unique";
    /** MongoDB's error code for dropping an index that is not there. */
    private static final int INDEX_NOT_FOUND = 27;
    private final MongoClient mongo;
    private final int storeBatchSize;
    private final String database;
    private final String collectionName;
    private final LookupIndex lookups;

    /** Outcome of storing one pending record. */
    public sealed interface Outcome permits Stored, Conflict, Duplicate {
    }

    /**
     * Stored now, or found already stored from an identical earlier request.
     *
     * @param content the salt and canonical text as stored: those of the earlier request when it was found,
     *                since a retry seals the same payload with a new salt
     */
    public record Stored(StoredRecord record, AnchorRequest.Content content) implements Outcome {
    }

    /** The idempotency key was used before for a different request. */
    public record Conflict(StoredRecord existing) implements Outcome {
    }

    /** The natural key names a record the tenant already has, stored with {@code content}. */
    public record Duplicate(StoredRecord existing, AnchorRequest.Content content) implements Outcome {
    }

    public RecordStore(MongoClient mongo,
                       @ConfigProperty(name = "tracemark.mongodb.database") String database,
                       @ConfigProperty(name = "tracemark.ingest.records-collection") String collectionName,
                       @ConfigProperty(name = "tracemark.ingest.store-batch-size", defaultValue = "250") int storeBatchSize,
                       LookupIndex lookups) {
        if (storeBatchSize < 1) {
            throw new IllegalArgumentException("tracemark.ingest.store-batch-size must be at least 1, not " + storeBatchSize);
        }
        this.storeBatchSize = storeBatchSize;
        this.mongo = mongo;
        this.lookups = lookups;
        this.database = database;
        this.collectionName = collectionName;
    }

    @PostConstruct
    void ensureIndexes() {
        MongoCollection<Document> c = records();
        backfillNaturalKeys(c);
        c.createIndex(Indexes.ascending("tenant", "idempotencyKey"),
                new IndexOptions().unique(true).name("tenant_idempotency"));
        c.createIndex(Indexes.ascending("tenant", "naturalKey"),
                new IndexOptions().unique(true).name("tenant_natural_key"));
        ensureUniqueDigestIndex(c);
        c.createIndex(Indexes.ascending("keys.gtin", "keys.lot"), new IndexOptions().name("gtin_lot"));
        c.createIndex(Indexes.ascending("keys.inputs"), new IndexOptions().name("inputs"));
        c.createIndex(Indexes.ascending("keys.eventHashId"), new IndexOptions().name("epcis_event_hash"));
        c.createIndex(Indexes.ascending("keys.supersedes"), new IndexOptions().name("epcis_supersedes"));
        c.createIndex(Indexes.ascending("keys.sha256"), new IndexOptions().name("work_sha256"));
        c.createIndex(Indexes.ascending("keys.phash"), new IndexOptions().name("work_phash"));
        c.createIndex(Indexes.ascending("keys.phashChunks"), new IndexOptions().name("work_phash_chunks"));
        lookups.backfill(c);
    }

    /**
     * Makes {@code digest} unique. Digests are salted SHA-256, so no two records share one. Stores written
     * before had a plain index {@code digest} on the same key, which MongoDB refuses to keep beside one with
     * other options, so it is dropped first; a replica racing us to the drop finds it gone, which is fine.
     */
    private static void ensureUniqueDigestIndex(MongoCollection<Document> c) {
        for (Document index : c.listIndexes()) {
            Document key = index.get("key", Document.class);
            if (key == null || !key.keySet().equals(Set.of("digest"))) {
                continue;
            }
            if (DIGEST_INDEX.equals(index.getString("name")) && Boolean.TRUE.equals(index.getBoolean("unique"))) {
                return;
            }
            try {
                c.dropIndex(index.getString("name"));
            } catch (MongoCommandException e) {
                if (e.getErrorCode() != INDEX_NOT_FOUND) {
                    throw e;
                }
            }
        }
        c.createIndex(Indexes.ascending("digest"), new IndexOptions().unique(true).name(DIGEST_INDEX));
    }

    /** Records written before natural keys existed get their id as one, so the unique index can be built. */
    private static void backfillNaturalKeys(MongoCollection<Document> c) {
        List<UpdateOneModel<Document>> updates = new ArrayList<>();
        for (Document d : c.find(Filters.exists("naturalKey", false)).projection(new Document("_id", 1))) {
            updates.add(new UpdateOneModel<>(Filters.eq("_id", d.get("_id")), Updates.set("naturalKey", d.get("_id"))));
            if (updates.size() == 1000) {
                c.bulkWrite(updates);
                updates.clear();
            }
        }
        if (!updates.isEmpty()) {
            c.bulkWrite(updates);
        }
    }

    /** The records collection (ingest-service is its only writer). */
    public MongoCollection<Document> records() {
        return mongo.getDatabase(database).getCollection(collectionName);
    }

    /**
     * Stores a batch in bulk writes of at most {@code tracemark.ingest.store-batch-size} documents; returns one
     * outcome per input, in input order.
     *
     * <p>Bounded writes keep a single HTTP record from queueing behind a whole Kafka poll: the store commits
     * after each command, so one write of 2,000 documents would hold every other writer for its full length.
     */
    public List<Outcome> storeAll(List<PendingRecord> batch) {
        return storeAll(batch, (from, written) -> { });
    }

    /**
     * Stores a batch as {@link #storeAll(List)} does and hands each write's outcomes (with their lookups written) to
     * {@code afterEachWrite} as soon as that write is done, with the position of its first record in the batch, so
     * the caller can pass them on (publish their anchor requests) while the next write runs.
     */
    public List<Outcome> storeAll(List<PendingRecord> batch, BiConsumer<Integer, List<Outcome>> afterEachWrite) {
        List<Outcome> out = new ArrayList<>(batch.size());
        for (int from = 0; from < batch.size(); from += storeBatchSize) {
            List<PendingRecord> part = batch.subList(from, Math.min(batch.size(), from + storeBatchSize));
            List<Outcome> written = write(part);
            afterEachWrite.accept(from, written);
            out.addAll(written);
        }
        return out;
    }

    /** One bulk write and its records' lookups. */
    private List<Outcome> write(List<PendingRecord> part) {
        List<Document> docs = new ArrayList<>(part.size());
        for (PendingRecord p : part) {
            docs.add(toDocument(p));
        }
        Map<Integer, BulkWriteError> failed = new HashMap<>();
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
        List<Outcome> out = new ArrayList<>(part.size());
        for (int i = 0; i < part.size(); i++) {
            PendingRecord p = part.get(i);
            out.add(failed.containsKey(i) ? collided(p) : new Stored(toStored(docs.get(i), false), contentOf(docs.get(i))));
        }
        // Collided records too: a redelivery after a crash between the two writes completes a work's lookups.
        lookups.add(out.stream().map(RecordStore::recordOf)
                .map(r -> new LookupIndex.Entry(r.id(), r.type(), r.keys())).toList());
        return out;
    }

    private static StoredRecord recordOf(Outcome o) {
        if (o instanceof Stored s) {
            return s.record();
        }
        return o instanceof Conflict c ? c.existing() : ((Duplicate) o).existing();
    }

    private Outcome collided(PendingRecord p) {
        String tenant = p.envelope().tenant();
        Document sameKey = records().find(Filters.and(Filters.eq("tenant", tenant),
                Filters.eq("idempotencyKey", p.idempotencyKey()))).first();
        if (sameKey != null) {
            StoredRecord prior = toStored(sameKey, true);
            return p.requestHash().equals(sameKey.getString("requestHash")) ? new Stored(prior, contentOf(sameKey)) : new Conflict(prior);
        }
        Document sameThing = records().find(Filters.and(Filters.eq("tenant", tenant),
                Filters.eq("naturalKey", p.naturalKey()))).first();
        if (sameThing == null) {
            throw new IllegalStateException("duplicate key reported but no record found for key " + p.idempotencyKey());
        }
        return new Duplicate(toStored(sameThing, true), contentOf(sameThing));
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

    /** Records by id, any tenant's (one {@code _id $in} query); callers check whose they are. */
    public List<Document> findByIds(List<String> ids) {
        return ids.isEmpty() ? List.of() : records().find(Filters.in("_id", ids)).into(new ArrayList<>());
    }

    /** Records of a tenant whose natural key is one of the given ones (one query). */
    public List<Document> findByNaturalKeys(String tenant, List<String> keys) {
        return records().find(Filters.and(Filters.eq("tenant", tenant), Filters.in("naturalKey", keys)))
                .into(new ArrayList<>());
    }

    /** Records of a tenant matching a filter, at most {@code limit}. */
    public List<Document> findAll(String tenant, Bson filter, int limit) {
        return records().find(Filters.and(Filters.eq("tenant", tenant), filter)).limit(limit).into(new ArrayList<>());
    }

    private static Document toDocument(PendingRecord p) {
        Envelope e = p.envelope();
        return new Document("_id", e.id())
                .append("tenant", e.tenant())
                .append("type", e.type())
                .append("idempotencyKey", p.idempotencyKey())
                .append("naturalKey", p.naturalKey())
                .append("requestHash", p.requestHash())
                .append("receivedAt", Date.from(e.receivedAt()))
                .append(RecordContent.SALT, e.salt())
                .append(RecordContent.CANONICAL, e.canonicalText())
                .append(RecordContent.VISIBILITY, p.visibility())
                .append("digest", e.digestHex())
                .append("status", "accepted")
                .append("keys", p.indexFields());
    }

    /** The content as stored, or null once erased (attest then reads the store, and finds it erased). */
    private static AnchorRequest.Content contentOf(Document d) {
        String salt = d.getString(RecordContent.SALT);
        String canonical = d.getString(RecordContent.CANONICAL);
        return salt == null || canonical == null ? null : new AnchorRequest.Content(salt, canonical);
    }

    /** The client-facing summary of a stored record document. */
    public static StoredRecord toStored(Document d, boolean duplicate) {
        Document keys = d.get("keys", Document.class);
        return new StoredRecord(d.getString("_id"), d.getString("tenant"), d.getString("type"),
                d.getString("digest"), d.getString("status"), d.getDate("receivedAt").toInstant(), duplicate,
                keys == null ? new Document() : keys);
    }
}
