package io.tracemark.attest.anchoring;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Anchoring state per record ({@code anchors}) and the leaf batches attest published
 * ({@code leaf_batches}, one document per batch, keyed by a batch id that is also the Kafka key).
 *
 * <p>A record moves PENDING → BATCHING (claimed into a batch whose intent is being written) →
 * SUBMITTED (its digest is in a published leaf batch at a known offset) → ANCHORED (a sealed block
 * covers that batch). The record id is the document id, so a redelivered request cannot create a second
 * anchor, and only a PENDING record can be claimed, so it cannot join a second batch.
 */
@ApplicationScoped
@Startup
public class AnchorStore {
    /** Record waiting to be put in a leaf batch. */
    public static final String PENDING = "pending";
    /** Record claimed by a leaf batch that may or may not be on the topic yet. */
    public static final String BATCHING = "batching";
    /** Record's digest published to the leaves topic. */
    public static final String SUBMITTED = "submitted";
    /** Record's leaf is covered by a sealed, signed block. */
    public static final String ANCHORED = "anchored";

    private final MongoClient mongo;
    private final String database;
    private final String anchorsName;
    private final String batchesName;
    /** Offsets → record ids of the batches this process recorded lately: the blocks follower's hot lookup. */
    private final ConcurrentSkipListMap<Long, List<String>> recentBatches = new ConcurrentSkipListMap<>();
    private static final int RECENT_BATCHES = 10_000;

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
        anchors().createIndex(Indexes.ascending("receiptState", "receiptDueAt"),
                new IndexOptions().name("receipt_due").sparse(true));
        batches().createIndex(Indexes.ascending("offset"), new IndexOptions().name("offset").sparse(true));
        batches().createIndex(Indexes.ascending("state"), new IndexOptions().name("state"));
    }

    MongoCollection<Document> anchors() {
        return mongo.getDatabase(database).getCollection(anchorsName);
    }

    MongoCollection<Document> batches() {
        return mongo.getDatabase(database).getCollection(batchesName);
    }

    /** Registers requests in bulk and returns the ones seen for the first time (duplicates are dropped). */
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
        Set<Integer> duplicates = new HashSet<>();
        if (!docs.isEmpty()) {
            try {
                anchors().insertMany(docs, new InsertManyOptions().ordered(false));
            } catch (MongoBulkWriteException e) {
                for (BulkWriteError err : e.getWriteErrors()) {
                    if (ErrorCategory.fromErrorCode(err.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                        throw e;
                    }
                    duplicates.add(err.getIndex());
                }
            }
        }
        List<AnchorRequest> fresh = new ArrayList<>(unique.size());
        for (int i = 0; i < unique.size(); i++) {
            if (!duplicates.contains(i)) {
                fresh.add(unique.get(i));
            }
        }
        return fresh;
    }

    /**
     * Claims the still-pending records among {@code candidates} for batch {@code batchId}, writes the
     * batch's intent (its records in leaf order) and returns the claimed requests in that order.
     *
     * <p>States are read and written by {@code _id} only, the one key every MongoDB-wire server answers
     * from an index (mongo-java-server ignores secondary indexes and scans for any other filter). The
     * read-then-write is serialised in this process; claiming assumes one attest-service per database.
     */
    public synchronized List<AnchorRequest> claim(String batchId, List<AnchorRequest> candidates, long scanFrom) {
        Map<String, Document> current = byIds(candidates.stream().map(AnchorRequest::recordId).toList(), "state", "batchId");
        Set<String> once = new HashSet<>();
        List<AnchorRequest> claimed = candidates.stream().filter(r -> {
            Document d = current.get(r.recordId());
            boolean mine = d != null && (PENDING.equals(d.getString("state"))
                    || (BATCHING.equals(d.getString("state")) && batchId.equals(d.getString("batchId"))));
            return mine && once.add(r.recordId());
        }).toList();
        if (!claimed.isEmpty()) {
            List<String> ids = claimed.stream().map(AnchorRequest::recordId).toList();
            updateByIds(ids, Updates.combine(Updates.set("state", BATCHING), Updates.set("batchId", batchId)));
            batches().replaceOne(Filters.eq("_id", batchId), new Document("_id", batchId)
                    .append("recordIds", ids)
                    .append("digests", claimed.stream().map(AnchorRequest::digest).toList())
                    .append("state", "publishing").append("scanFrom", scanFrom).append("createdAt", new Date()),
                    new ReplaceOptions().upsert(true));
        }
        return claimed;
    }

    /** Records that batch {@code batchId} is on the leaves topic at {@code offset} and marks its records submitted. */
    public synchronized void submitted(String batchId, long offset) {
        Document b = batches().find(Filters.eq("_id", batchId)).first();
        if (b == null) {
            throw new IllegalStateException("no intent for leaf batch " + batchId);
        }
        batches().updateOne(Filters.eq("_id", batchId),
                Updates.combine(Updates.set("state", "published"), Updates.set("offset", offset)));
        List<String> recordIds = b.getList("recordIds", String.class);
        // Only records still claimed by this batch move on: a repeated call must not undo an anchoring.
        List<String> still = byIds(recordIds, "state", "batchId").values().stream()
                .filter(d -> BATCHING.equals(d.getString("state")) && batchId.equals(d.getString("batchId")))
                .map(d -> d.getString("_id")).toList();
        if (!still.isEmpty()) {
            updateByIds(still, Updates.combine(Updates.set("state", SUBMITTED), Updates.set("leafOffset", offset)));
        }
        remember(offset, recordIds);
    }

    private void remember(long offset, List<String> recordIds) {
        recentBatches.put(offset, recordIds);
        while (recentBatches.size() > RECENT_BATCHES) {
            recentBatches.pollFirstEntry();
        }
    }

    /** The given anchors by id (indexed {@code $in} queries), with the listed fields. */
    private Map<String, Document> byIds(List<String> ids, String... fields) {
        Map<String, Document> out = new HashMap<>();
        for (List<String> chunk : IdChunks.of(ids)) {
            anchors().find(Filters.in("_id", chunk)).projection(Projections.include(fields))
                    .forEach(d -> out.put(d.getString("_id"), d));
        }
        return out;
    }

    private void updateByIds(List<String> ids, org.bson.conversions.Bson update) {
        for (List<String> chunk : IdChunks.of(ids)) {
            anchors().updateMany(Filters.in("_id", chunk), update);
        }
    }

    /** A batch whose intent was written but whose offset was never recorded. */
    public record OpenBatch(String batchId, List<String> recordIds, List<String> digests, long scanFrom) {
    }

    /** Batches left open by a crash or a failed publish. */
    public List<OpenBatch> openBatches() {
        List<OpenBatch> out = new ArrayList<>();
        batches().find(Filters.eq("state", "publishing")).sort(Sorts.ascending("createdAt")).forEach(d -> out.add(
                new OpenBatch(d.getString("_id"), d.getList("recordIds", String.class), d.getList("digests", String.class),
                        d.get("scanFrom", Number.class).longValue())));
        return out;
    }

    /** Returns to PENDING the records claimed by a batch whose intent was never written (crash after the claim). */
    public long releaseOrphanClaims() {
        Set<String> open = new HashSet<>();
        batches().find(Filters.eq("state", "publishing")).projection(new Document("_id", 1))
                .forEach(d -> open.add(d.getString("_id")));
        return anchors().updateMany(Filters.and(Filters.eq("state", BATCHING), Filters.nin("batchId", open)),
                Updates.combine(Updates.set("state", PENDING), Updates.unset("batchId"))).getModifiedCount();
    }

    /** All records still waiting for a batch, oldest first. */
    public List<AnchorRequest> pending() {
        List<AnchorRequest> out = new ArrayList<>();
        anchors().find(Filters.eq("state", PENDING)).sort(Sorts.ascending("acceptedAt")).forEach(d -> out.add(
                new AnchorRequest(d.getString("_id"), d.getString("tenant"), d.getString("type"), d.getString("digest"),
                        d.getDate("acceptedAt").toInstant(), null)));
        return out;
    }

    /** The highest leaves-topic offset recorded for any batch, or -1. */
    public long lastRecordedOffset() {
        Document d = batches().find(Filters.exists("offset")).sort(Sorts.descending("offset")).limit(1).first();
        return d == null ? -1 : d.get("offset", Number.class).longValue();
    }

    /**
     * The record ids of the leaf batch published at an offset, in leaf order: from memory for the batches
     * this process recorded lately, otherwise from {@code leaf_batches} (a scan on an embedded server, so
     * only for batches of a previous run or of another producer).
     */
    public Optional<List<String>> batchAt(long offset) {
        List<String> known = recentBatches.get(offset);
        if (known != null) {
            return Optional.of(known);
        }
        Document d = batches().find(Filters.eq("offset", offset)).first();
        return d == null ? Optional.empty() : Optional.of(d.getList("recordIds", String.class));
    }

    /** One record's anchoring, as learnt from a sealed block. */
    public record Anchored(String recordId, long leafIndex) {
    }

    /**
     * Marks records anchored in bulk with their leaf index and the sealing block; a receipt becomes due.
     * The caller passes only records {@link #notYetAnchored} returned, so the filters are by id alone;
     * it shares the lock of {@link #submitted}, whose read-then-write must not straddle this write.
     */
    public synchronized void anchored(List<Anchored> anchored, long blockHeight, long treeSize, Date blockTime, Date now) {
        if (anchored.isEmpty()) {
            return;
        }
        List<WriteModel<Document>> ops = new ArrayList<>(anchored.size());
        for (Anchored a : anchored) {
            ops.add(new UpdateOneModel<>(Filters.eq("_id", a.recordId()),
                    Updates.combine(Updates.set("state", ANCHORED), Updates.set("leafIndex", a.leafIndex()),
                            Updates.set("blockHeight", blockHeight), Updates.set("treeSize", treeSize),
                            Updates.set("blockTime", blockTime), Updates.set("anchoredAt", now),
                            Updates.set("receiptState", "due"), Updates.set("receiptDueAt", now))));
        }
        anchors().bulkWrite(ops, new BulkWriteOptions().ordered(false));
    }

    /** The anchor document of a record, if any. */
    public Optional<Document> find(String recordId) {
        return Optional.ofNullable(anchors().find(Filters.eq("_id", recordId)).first());
    }

    /** Those given records not anchored yet (id, tenant, type, digest, acceptedAt), fetched by id in one query. */
    public Map<String, Document> notYetAnchored(List<String> recordIds) {
        Map<String, Document> out = new HashMap<>();
        byIds(recordIds, "state", "tenant", "type", "digest", "acceptedAt").forEach((id, d) -> {
            if (!ANCHORED.equals(d.getString("state"))) {
                out.put(id, d);
            }
        });
        return out;
    }

    /**
     * Anchored records whose receipt is due, oldest due first. A range query (a scan on an embedded
     * server): only for recovery at start-up, the receipt worker is fed in memory otherwise.
     */
    public List<Document> receiptsDue(int limit) {
        List<Document> out = new ArrayList<>();
        anchors().find(Filters.and(Filters.eq("receiptState", "due"), Filters.lte("receiptDueAt", new Date())))
                .sort(Sorts.ascending("receiptDueAt")).limit(limit).forEach(out::add);
        return out;
    }

    /** Marks records' receipts as built and published, in one write by id. */
    public void receiptsDone(List<String> recordIds) {
        updateByIds(recordIds, Updates.combine(Updates.set("receiptState", "done"),
                Updates.unset("receiptDueAt"), Updates.unset("receiptError")));
    }

    /** Records why a record's receipt failed and when it is tried again (by id; diagnostics and restarts). */
    public void receiptFailed(String recordId, Instant retryAt, String lastError) {
        anchors().updateOne(Filters.eq("_id", recordId), Updates.combine(Updates.set("receiptDueAt", Date.from(retryAt)),
                Updates.set("receiptError", lastError), Updates.inc("receiptAttempts", 1)));
    }
}
