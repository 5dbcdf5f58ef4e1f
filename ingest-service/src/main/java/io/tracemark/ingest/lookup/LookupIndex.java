package io.tracemark.ingest.lookup;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.tracemark.ingest.media.MediaWorkType;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lookup collections of media works keyed by {@code _id}, so a claim lookup is a primary-key seek on any
 * MongoDB server (the embedded wire server used in development uses no non-unique index at all):
 * <ul>
 *   <li>{@code work_chunks}: {@code {_id: i << 16 | chunk_i, ids: [record id]}}, one document per
 *       position-tagged 16-bit pHash chunk, as stored in {@code keys.phashChunks};</li>
 *   <li>{@code digests}: {@code {_id: 64-hex file SHA-256, ids: [record id]}}, a media work's
 *       {@code keys.sha256};</li>
 *   <li>{@code supersessions}: {@code {_id: superseded record id, by: [record id]}}, from an EPCIS error
 *       declaration's {@code keys.supersedes}, so "is this record superseded?" is one read by {@code _id}.</li>
 * </ul>
 * Only media works and error declarations get entries. Record digests have none: they are salted SHA-256, unique per record, and
 * found on {@code records} itself through its unique {@code digest_unique} index, so a product batch or an
 * EPCIS event costs one store write, its record. Entries are added with {@code $addToSet} upserts, so
 * writing a work's entries again (a redelivery, a retry after a crash between the record insert and this
 * step) changes nothing.
 */
@ApplicationScoped
public class LookupIndex {
    private static final int BATCH = 1000;
    private final MongoClient mongo;
    private final String database;
    private final String workChunks;
    private final String digests;
    private final String supersessions;

    public LookupIndex(MongoClient mongo,
                       @ConfigProperty(name = "tracemark.mongodb.database") String database,
                       @ConfigProperty(name = "tracemark.ingest.work-chunks-collection") String workChunks,
                       @ConfigProperty(name = "tracemark.ingest.digests-collection") String digests,
                       @ConfigProperty(name = "tracemark.ingest.supersessions-collection") String supersessions) {
        this.mongo = mongo;
        this.database = database;
        this.workChunks = workChunks;
        this.digests = digests;
        this.supersessions = supersessions;
    }

    /** One record's lookup keys: its id, record type and index fields ({@code keys}). */
    public record Entry(String id, String type, Document keys) {
    }

    /**
     * Adds the entries of the media works and error declarations among these records, one unordered bulk
     * upsert per lookup collection.
     */
    public void add(List<Entry> records) {
        Map<Object, List<Object>> bySha256 = new LinkedHashMap<>();
        Map<Object, List<Object>> byChunk = new LinkedHashMap<>();
        Map<Object, List<Object>> bySuperseded = new LinkedHashMap<>();
        for (Entry r : records) {
            if (r.keys() != null && r.keys().get("supersedes") instanceof List<?> superseded) {
                for (Object id : superseded) {
                    add(bySuperseded, id, r.id());
                }
            }
            if (!MediaWorkType.NAME.equals(r.type()) || r.keys() == null) {
                continue;
            }
            add(bySha256, r.keys().get("sha256"), r.id());
            if (r.keys().get("phashChunks") instanceof List<?> chunks) {
                for (Object chunk : chunks) {
                    add(byChunk, chunk, r.id());
                }
            }
        }
        upsert(collection(digests), bySha256, "ids");
        upsert(collection(workChunks), byChunk, "ids");
        upsert(collection(supersessions), bySuperseded, "by");
    }

    /**
     * Rebuilds the lookups from the stored media works when there are none yet (a store written before they
     * existed); a no-op otherwise, and it never writes entries for record digests. Safe to run on several
     * replicas at once.
     */
    public void backfill(MongoCollection<Document> records) {
        backfillSupersessions(records);
        if (collection(digests).find().limit(1).first() != null) {
            return;
        }
        // Only media works have keys.sha256; a range on it uses the work_sha256 index instead of a scan.
        Bson works = Filters.gt("keys.sha256", "");
        if (records.find(works).limit(1).first() == null) {
            return;
        }
        List<Entry> batch = new ArrayList<>(BATCH);
        Document fields = new Document("_id", 1).append("type", 1).append("keys.sha256", 1)
                .append("keys.phashChunks", 1);
        for (Document d : records.find(works).projection(fields)) {
            batch.add(new Entry(d.getString("_id"), d.getString("type"), d.get("keys", Document.class)));
            if (batch.size() == BATCH) {
                add(batch);
                batch.clear();
            }
        }
        add(batch);
    }

    /** Writes the supersessions of error declarations stored before that lookup existed; a no-op once it has any. */
    private void backfillSupersessions(MongoCollection<Document> records) {
        if (collection(supersessions).find().limit(1).first() != null) {
            return;
        }
        // A range on keys.supersedes uses its epcis_supersedes index and matches only non-empty arrays' ids.
        Bson declarations = Filters.gt("keys.supersedes", "");
        List<Entry> batch = new ArrayList<>(BATCH);
        for (Document d : records.find(declarations).projection(new Document("_id", 1).append("type", 1)
                .append("keys.supersedes", 1))) {
            batch.add(new Entry(d.getString("_id"), d.getString("type"), d.get("keys", Document.class)));
            if (batch.size() == BATCH) {
                add(batch);
                batch.clear();
            }
        }
        add(batch);
    }

    private MongoCollection<Document> collection(String name) {
        return mongo.getDatabase(database).getCollection(name);
    }

    private static void add(Map<Object, List<Object>> index, Object key, Object value) {
        if (key != null) {
            List<Object> values = index.computeIfAbsent(key, k -> new ArrayList<>());
            if (!values.contains(value)) {
                values.add(value);
            }
        }
    }

    private static void upsert(MongoCollection<Document> c, Map<Object, List<Object>> index, String field) {
        List<UpdateOneModel<Document>> models = new ArrayList<>(index.size());
        index.forEach((key, values) -> models.add(new UpdateOneModel<>(Filters.eq("_id", key),
                Updates.addEachToSet(field, values), new UpdateOptions().upsert(true))));
        if (models.isEmpty()) {
            return;
        }
        try {
            c.bulkWrite(models, new BulkWriteOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            // Two writers upserting the same new _id race: the loser gets a duplicate key error, and
            // retrying it finds the winner's document and updates it.
            List<UpdateOneModel<Document>> retry = new ArrayList<>();
            for (BulkWriteError err : e.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(err.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                retry.add(models.get(err.getIndex()));
            }
            c.bulkWrite(retry, new BulkWriteOptions().ordered(false));
        }
    }
}
