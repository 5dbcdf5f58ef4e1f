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
 * <p>A record is PENDING until a sealed block covers it, then ANCHORED. Which batch a record is in lives
 * on the batch alone: its intent (record ids and digests in leaf order, state {@code publishing}) is
 * written before the batch goes to the leaves topic, then {@code published} with its offset, then
 * {@code anchored}. Per record that is one insert and one update; per batch, three small writes. The
 * record id is the document id, so a redelivered request cannot create a second anchor, and recovery
 * re-queues only the pending records no unanchored batch holds, so no record joins a second batch.
 */
@ApplicationScoped
@Startup
public class AnchorStore {
    /** Record waiting for a sealed block (queued, or in a batch on its way). */
    public static final String PENDING = "pending";
    /** Record's leaf is covered by a sealed, signed block. */
    public static final String ANCHORED = "anchored";
    /** States written by earlier versions for records in a batch; read as pending. */
    private static final List<String> LEGACY_IN_BATCH = List.of("batching", "submitted");
    private static final String PUBLISHING = "publishing";
    private static final String PUBLISHED = "published";

    private final MongoClient mongo;
    private final String database;
    private final String anchorsName;
    private final String batchesName;
    /** Offset → the batches this process recorded lately: the blocks follower's hot lookup. */
    private final ConcurrentSkipListMap<Long, KnownBatch> recentBatches = new ConcurrentSkipListMap<>();
    private static final int RECENT_BATCHES = 100_000;
    private static final long MAX_HELD_RECORDS = 500_000;
    /** Record ids (and requests) held in {@link #recentBatches}; applied batches hold none. */
    private long held;

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
        // Only what recovery queries: every other read is by _id, and each index costs every write.
        anchors().createIndex(Indexes.ascending("state", "acceptedAt"), new IndexOptions().name("state"));
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
     * Writes the intent of batch {@code batchId}: its records in leaf order, before anything reaches the
     * topic. Idempotent under the same batch id; returns the requests in that order, each record once.
     * The queue feeding this holds each registered record once, so no per-record read is needed here.
     */
    public List<AnchorRequest> writeIntent(String batchId, List<AnchorRequest> candidates, long scanFrom) {
        Set<String> once = new HashSet<>();
        List<AnchorRequest> batch = candidates.stream().filter(r -> once.add(r.recordId())).toList();
        if (!batch.isEmpty()) {
            batches().replaceOne(Filters.eq("_id", batchId), new Document("_id", batchId)
                    .append("recordIds", batch.stream().map(AnchorRequest::recordId).toList())
                    .append("digests", batch.stream().map(AnchorRequest::digest).toList())
                    .append("state", PUBLISHING).append("scanFrom", scanFrom).append("createdAt", new Date()),
                    new ReplaceOptions().upsert(true));
        }
        return batch;
    }

    /**
     * Records that batch {@code batchId} is on the leaves topic at {@code offset}. {@code requests} are
     * its records when this process built it, or null when it was recovered (read back when sealed).
     */
    public void published(String batchId, long offset, List<AnchorRequest> requests) {
        Document b = batches().findOneAndUpdate(Filters.eq("_id", batchId),
                Updates.combine(Updates.set("state", PUBLISHED), Updates.set("offset", offset)),
                new com.mongodb.client.model.FindOneAndUpdateOptions().projection(Projections.include("recordIds")));
        if (b == null) {
            throw new IllegalStateException("no intent for leaf batch " + batchId);
        }
        remember(offset, new KnownBatch(batchId, b.getList("recordIds", String.class), requests, false));
    }

    /** Marks batches whose every record is anchored, so recovery no longer reads them. */
    public void batchesAnchored(List<String> batchIds) {
        if (batchIds.isEmpty()) {
            return;
        }
        List<WriteModel<Document>> ops = new ArrayList<>(batchIds.size());
        for (String id : batchIds) {
            ops.add(new UpdateOneModel<>(Filters.eq("_id", id), Updates.set("state", ANCHORED)));
        }
        batches().bulkWrite(ops, new BulkWriteOptions().ordered(false));
    }

    private synchronized void remember(long offset, KnownBatch batch) {
        KnownBatch old = recentBatches.put(offset, batch);
        held += size(batch) - size(old);
        while (recentBatches.size() > RECENT_BATCHES) {
            held -= size(recentBatches.pollFirstEntry().getValue());
        }
        // While the chain is down unsealed batches pile up: beyond a bound, the oldest are read back instead.
        for (var it = recentBatches.entrySet().iterator(); held > MAX_HELD_RECORDS && it.hasNext(); ) {
            var e = it.next();
            if (size(e.getValue()) > 0) {
                held -= size(e.getValue());
                it.remove();
            }
        }
    }

    private static long size(KnownBatch b) {
        return b == null ? 0 : b.recordIds().size();
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

    /** One update per id in a bulk: an {@code _id} equality is matched in O(1), an {@code $in} is not. */
    private void updateByIds(List<String> ids, org.bson.conversions.Bson update) {
        if (ids.isEmpty()) {
            return;
        }
        List<WriteModel<Document>> ops = new ArrayList<>(ids.size());
        for (String id : ids) {
            ops.add(new UpdateOneModel<>(Filters.eq("_id", id), update));
        }
        anchors().bulkWrite(ops, new BulkWriteOptions().ordered(false));
    }

    /** A batch whose intent was written but whose offset was never recorded. */
    public record OpenBatch(String batchId, List<String> recordIds, List<String> digests, long scanFrom) {
    }

    /** Batches left open by a crash or a failed publish. */
    public List<OpenBatch> openBatches() {
        List<OpenBatch> out = new ArrayList<>();
        batches().find(Filters.eq("state", PUBLISHING)).sort(Sorts.ascending("createdAt")).forEach(d -> out.add(
                new OpenBatch(d.getString("_id"), d.getList("recordIds", String.class), d.getList("digests", String.class),
                        d.get("scanFrom", Number.class).longValue())));
        return out;
    }

    /**
     * Records still waiting for a batch, oldest first: pending ones that no unanchored batch holds. Scans
     * both collections, so only for recovery; call it after the open batches are resolved.
     */
    public List<AnchorRequest> unbatched() {
        Set<String> inBatch = new HashSet<>();
        batches().find(Filters.in("state", PUBLISHING, PUBLISHED)).projection(Projections.include("recordIds"))
                .forEach(d -> inBatch.addAll(d.getList("recordIds", String.class)));
        List<String> waiting = new ArrayList<>(LEGACY_IN_BATCH);
        waiting.add(PENDING);
        List<AnchorRequest> out = new ArrayList<>();
        anchors().find(Filters.in("state", waiting)).sort(Sorts.ascending("acceptedAt")).forEach(d -> {
            if (!inBatch.contains(d.getString("_id"))) {
                out.add(new AnchorRequest(d.getString("_id"), d.getString("tenant"), d.getString("type"), d.getString("digest"),
                        d.getDate("acceptedAt").toInstant(), null));
            }
        });
        return out;
    }

    /** The highest leaves-topic offset recorded for any batch, or -1. */
    public long lastRecordedOffset() {
        Document d = batches().find(Filters.exists("offset")).sort(Sorts.descending("offset")).limit(1).first();
        return d == null ? -1 : d.get("offset", Number.class).longValue();
    }

    /**
     * A published leaf batch: id, record ids in leaf order, the requests when this process built it, and
     * whether this process already applied the block sealing it.
     */
    public record KnownBatch(String batchId, List<String> recordIds, List<AnchorRequest> requests, boolean applied) {
    }

    /**
     * The leaf batch published at an offset: from memory for the batches this process recorded lately,
     * otherwise from {@code leaf_batches} (a scan on an embedded server, so only for batches of a previous
     * run or of another producer).
     */
    public Optional<KnownBatch> batchAt(long offset) {
        KnownBatch known = recentBatches.get(offset);
        if (known != null) {
            return Optional.of(known);
        }
        Document d = batches().find(Filters.eq("offset", offset)).first();
        return d == null ? Optional.empty()
                : Optional.of(new KnownBatch(d.getString("_id"), d.getList("recordIds", String.class), null, false));
    }

    /**
     * Notes that the block sealing the batch at {@code offset} was applied, so the copies every other
     * replica publishes are skipped without a read.
     */
    public void applied(long offset, KnownBatch batch) {
        remember(offset, new KnownBatch(batch.batchId(), List.of(), null, true));
    }

    /** One record's anchoring, as learnt from a sealed block. */
    public record Anchored(String recordId, long leafIndex) {
    }

    /**
     * Marks records anchored in bulk with their leaf index and the sealing block; a receipt becomes due.
     * The caller passes only records not anchored yet, so the filters are by id alone.
     */
    public void anchored(List<Anchored> anchored, long blockHeight, long treeSize, Date blockTime, Date now) {
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
