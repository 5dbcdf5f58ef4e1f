package io.tracemark.attest.anchoring;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Anchoring state per record ({@code anchors}) and the leaf batches attest published
 * ({@code leaf_batches}, keyed by their offset on the leaves topic).
 *
 * <p>A record moves PENDING → SUBMITTED (its digest is in a published leaf batch) → ANCHORED (a sealed
 * block covers that batch). The record id is the document id, so a redelivered request cannot create a
 * second anchor.
 */
@ApplicationScoped
@Startup
public class AnchorStore {
    /** Record waiting to be put in a leaf batch. */
    public static final String PENDING = "pending";
    /** Record's digest published to the leaves topic. */
    public static final String SUBMITTED = "submitted";
    /** Record's leaf is covered by a sealed, signed block. */
    public static final String ANCHORED = "anchored";

    private final MongoClient mongo;
    private final String database;
    private final String anchorsName;
    private final String batchesName;

    public AnchorStore(MongoClient mongo,
                       @ConfigProperty(name = "tracemark.mongodb.database") String database,
                       @ConfigProperty(name = "tracemark.attest.anchors-collection") String anchorsName,
                       @ConfigProperty(name = "tracemark.attest.leaf-batches-collection") String batchesName) {
        this.mongo = mongo;
        this.database = database;
        this.anchorsName = anchorsName;
        this.batchesName = batchesName;
    }

    @PostConstruct
    void ensureIndexes() {
        anchors().createIndex(Indexes.ascending("state", "acceptedAt"), new IndexOptions().name("state"));
        anchors().createIndex(Indexes.ascending("digest"), new IndexOptions().name("digest"));
        anchors().createIndex(Indexes.ascending("leafIndex"), new IndexOptions().name("leaf_index").sparse(true));
    }

    MongoCollection<Document> anchors() {
        return mongo.getDatabase(database).getCollection(anchorsName);
    }

    MongoCollection<Document> batches() {
        return mongo.getDatabase(database).getCollection(batchesName);
    }

    /**
     * Registers requests in bulk and returns those still waiting for a leaf: the new ones plus
     * earlier ones never submitted (a crash between registering and publishing).
     */
    public List<AnchorRequest> register(List<AnchorRequest> requests) {
        List<Document> docs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<AnchorRequest> unique = new ArrayList<>();
        for (AnchorRequest r : requests) {
            if (seen.add(r.recordId())) {
                unique.add(r);
                docs.add(new Document("_id", r.recordId()).append("tenant", r.tenant()).append("type", r.type())
                        .append("digest", r.digest()).append("acceptedAt", Date.from(r.acceptedAt()))
                        .append("state", PENDING));
            }
        }
        Set<String> duplicates = new HashSet<>();
        if (!docs.isEmpty()) {
            try {
                anchors().insertMany(docs, new InsertManyOptions().ordered(false));
            } catch (MongoBulkWriteException e) {
                for (BulkWriteError err : e.getWriteErrors()) {
                    if (ErrorCategory.fromErrorCode(err.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                        throw e;
                    }
                    duplicates.add(unique.get(err.getIndex()).recordId());
                }
            }
        }
        Set<String> stillPending = new HashSet<>();
        if (!duplicates.isEmpty()) {
            anchors().find(Filters.and(Filters.in("_id", duplicates), Filters.eq("state", PENDING)))
                    .projection(new Document("_id", 1))
                    .forEach(d -> stillPending.add(d.getString("_id")));
        }
        List<AnchorRequest> out = new ArrayList<>();
        for (AnchorRequest r : unique) {
            if (!duplicates.contains(r.recordId()) || stillPending.contains(r.recordId())) {
                out.add(r);
            }
        }
        return out;
    }

    /** Records a published leaf batch and marks its records submitted, in input order. */
    public void submitted(long offset, List<AnchorRequest> batch) {
        List<String> ids = batch.stream().map(AnchorRequest::recordId).toList();
        batches().replaceOne(Filters.eq("_id", offset), new Document("_id", offset).append("recordIds", ids)
                .append("createdAt", new Date()), new com.mongodb.client.model.ReplaceOptions().upsert(true));
        anchors().updateMany(Filters.and(Filters.in("_id", ids), Filters.eq("state", PENDING)),
                Updates.combine(Updates.set("state", SUBMITTED), Updates.set("leafOffset", offset)));
    }

    /** The record ids of the leaf batch published at an offset, in leaf order. */
    public Optional<List<String>> batchAt(long offset) {
        Document d = batches().find(Filters.eq("_id", offset)).first();
        return d == null ? Optional.empty() : Optional.of(d.getList("recordIds", String.class));
    }

    /** One record's anchoring, as learnt from a sealed block. */
    public record Anchored(String recordId, long leafIndex) {
    }

    /** Marks records anchored in bulk with their leaf index and the sealing block. */
    public void anchored(List<Anchored> anchored, long blockHeight, long treeSize, Date blockTime) {
        if (anchored.isEmpty()) {
            return;
        }
        List<WriteModel<Document>> ops = new ArrayList<>(anchored.size());
        Date now = new Date();
        for (Anchored a : anchored) {
            ops.add(new UpdateOneModel<>(Filters.and(Filters.eq("_id", a.recordId()), Filters.ne("state", ANCHORED)),
                    Updates.combine(Updates.set("state", ANCHORED), Updates.set("leafIndex", a.leafIndex()),
                            Updates.set("blockHeight", blockHeight), Updates.set("treeSize", treeSize),
                            Updates.set("blockTime", blockTime), Updates.set("anchoredAt", now))));
        }
        anchors().bulkWrite(ops, new com.mongodb.client.model.BulkWriteOptions().ordered(false));
    }

    /** The anchor document of a record, if any. */
    public Optional<Document> find(String recordId) {
        return Optional.ofNullable(anchors().find(Filters.eq("_id", recordId)).first());
    }

    /** The acceptance times of the given records, fetched in one query (for latency metrics). */
    public List<Date> acceptedTimes(List<String> recordIds) {
        List<Date> out = new ArrayList<>(recordIds.size());
        if (!recordIds.isEmpty()) {
            anchors().find(Filters.in("_id", recordIds)).projection(new Document("acceptedAt", 1))
                    .forEach(d -> out.add(d.getDate("acceptedAt")));
        }
        return out;
    }
}
