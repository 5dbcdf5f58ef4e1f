package io.tracemark.verify.receipts;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.tracemark.contracts.records.RecordContent;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Read-only view of the record store and its lookup collections, written by ingest-service; verify-service
 * never writes to any of them. Anchoring is not here: it is derived per block (see {@code AnchorLookup}).
 *
 * <p>The public lookups by SHA-256 and by pHash use only unique keys: the records' unique {@code digest}
 * index, and {@code _id} for the works the in-memory claim index found; the Digital Link lookups read by {@code _id}
 * the records the resolver's in-memory index names (docs/resolver.md). So they stay fast on any MongoDB-wire server,
 * including the embedded one, which serves a query from an index only when its keys are a unique index's.
 */
@ApplicationScoped
public class RecordsView {
    /** Type of a registered media work. */
    public static final String MEDIA_WORK = "media.work";
    /** Type of a product batch. */
    public static final String PRODUCT_BATCH = "product.batch";
    /** Type of an EPCIS 2.0 event. */
    public static final String EPCIS_EVENT = "epcis.event";

    private static final int IN_SLICE = 64;
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern HEX16 = Pattern.compile("[0-9a-f]{16}");
    private static final Document RESOLVER_KEYS = new Document("type", 1).append("keys.gtin", 1).append("keys.lot", 1)
            .append("keys.inputs", 1).append("keys.epcs", 1).append("keys.supersedes", 1);
    private static final Document REGISTRY_FACTS = new Document("type", 1).append("tenant", 1)
            .append(RecordContent.VISIBILITY, 1).append(RecordContent.ERASED_AT, 1).append("keys.sha256", 1)
            .append("keys.phash", 1);
    private final MongoClient mongo;
    private final String database;
    private final String records;
    private final String supersessions;
    private final int maxResults;

    public RecordsView(MongoClient mongo,
                       @ConfigProperty(name = "tracemark.mongodb.database") String database,
                       @ConfigProperty(name = "tracemark.verify.records-collection") String records,
                       @ConfigProperty(name = "tracemark.verify.supersessions-collection") String supersessions,
                       @ConfigProperty(name = "tracemark.verify.max-results") int maxResults) {
        this.mongo = mongo;
        this.database = database;
        this.records = records;
        this.supersessions = supersessions;
        this.maxResults = maxResults;
    }

    private MongoCollection<Document> collection(String name) {
        return mongo.getDatabase(database).getCollection(name);
    }

    /** A stored record by id. */
    public Optional<Document> record(String id) {
        return Optional.ofNullable(collection(records).find(Filters.eq("_id", id)).first());
    }

    /**
     * What verification's registry checks read of a record: its type, registrant, visibility, erasure and media-work
     * fingerprints, without the canonical text and the other index fields a whole record carries.
     */
    public Optional<Document> registryFacts(String id) {
        return Optional.ofNullable(collection(records).find(Filters.eq("_id", id)).projection(REGISTRY_FACTS).first());
    }

    /**
     * Records whose record digest or media-work file SHA-256 ({@code keys.sha256}) is {@code sha256Hex}
     * (lower-case hex), oldest first: the digest through the records' unique index, the file SHA-256 among
     * {@code workIds} (the claim index's candidates, loaded by {@code _id} and compared whole here).
     */
    public List<Document> bySha256(String sha256Hex, List<String> workIds) {
        List<Document> out = new ArrayList<>();
        // Exactly {digest: hex}: the embedded wire server index-serves only filters whose keys equal a
        // unique index's keys, and anything combined (Filters.and becomes $and) would scan every record.
        Document own = collection(records).find(Filters.eq("digest", sha256Hex)).first();
        if (own != null) {
            out.add(own);
        }
        List<String> ids = new ArrayList<>(workIds);
        if (own != null) {
            ids.remove(own.getString("_id"));
        }
        for (Document d : records(ids)) {
            if (MEDIA_WORK.equals(d.getString("type")) && d.get("keys") instanceof Document k && sha256Hex.equals(k.getString("sha256"))) {
                out.add(d);
            }
        }
        out.sort(Comparator.comparing((Document d) -> d.get("receivedAt") instanceof Date t ? t : null,
                Comparator.nullsLast(Comparator.naturalOrder())));
        return out.size() > maxResults ? new ArrayList<>(out.subList(0, maxResults)) : out;
    }

    /** What the claim index keeps of one media work. */
    @FunctionalInterface
    public interface WorkKeys {
        /** One work: record id, file SHA-256 (hex) and pHash, null for files that are not images. */
        void accept(String recordId, String sha256Hex, Long phash);
    }

    /**
     * Every media work's id, file SHA-256 and pHash, in one pass over the records (only those fields are read):
     * how the claim index is built. Works without a well-formed file SHA-256 are left out.
     */
    public void forEachWork(WorkKeys sink) {
        for (Document d : collection(records).find(Filters.eq("type", MEDIA_WORK))
                .projection(new Document("keys.sha256", 1).append("keys.phash", 1)).batchSize(10_000)) {
            if (d.get("keys") instanceof Document k && k.get("sha256") instanceof String sha && HEX64.matcher(sha).matches()) {
                Long phash = k.get("phash") instanceof String p && HEX16.matcher(p).matches() ? Long.parseUnsignedLong(p, 16) : null;
                sink.accept(d.getString("_id"), sha, phash);
            }
        }
    }

    /**
     * Splits an {@code $in} list into slices of {@value #IN_SLICE}. A MongoDB server seeks each value
     * either way; the embedded wire server also re-matches every hit against the whole list, one query
     * at a time per collection, so a few short lists cost it far less than one long one.
     */
    private static <T> List<List<T>> partition(List<T> values) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i += IN_SLICE) {
            out.add(values.subList(i, Math.min(values.size(), i + IN_SLICE)));
        }
        return out;
    }

    /** Full records by id, read in {@code $in} slices. */
    public List<Document> records(Collection<String> ids) {
        List<Document> out = new ArrayList<>();
        for (List<String> part : partition(new ArrayList<>(ids))) {
            collection(records).find(Filters.in("_id", part)).into(out);
        }
        return out;
    }

    /** One stored record's index fields, as the resolver index keeps them. */
    @FunctionalInterface
    public interface IndexedRecord {
        /** A record's id, type and {@code keys} (only those the resolver reads). */
        void accept(String recordId, String type, Document keys);
    }

    /**
     * Every product batch's and EPCIS event's GTIN, lot, inputs and EPCs, in one projected pass over the records:
     * how the resolver index is built at start, never on a request.
     */
    public void forEachBatchOrEvent(IndexedRecord sink) {
        collection(records).find(Filters.in("type", PRODUCT_BATCH, EPCIS_EVENT)).projection(RESOLVER_KEYS)
                .batchSize(10_000).forEach(d -> sink.accept(d.getString("_id"), d.getString("type"), d.get("keys", Document.class)));
    }

    /** The same fields of these records, read by {@code _id} in slices: how the resolver index learns of new ones. */
    public void batchOrEventKeys(Collection<String> ids, IndexedRecord sink) {
        for (List<String> part : partition(new ArrayList<>(ids))) {
            collection(records).find(Filters.in("_id", part)).projection(RESOLVER_KEYS)
                    .forEach(d -> sink.accept(d.getString("_id"), d.getString("type"), d.get("keys", Document.class)));
        }
    }

    /** Records by id, oldest first, at most {@code max-results}. */
    public List<Document> oldestFirst(Collection<String> ids) {
        List<Document> out = records(ids);
        out.sort(Comparator.comparing((Document d) -> d.getDate("receivedAt"), Comparator.nullsLast(Comparator.naturalOrder())));
        return out.size() > maxResults ? new ArrayList<>(out.subList(0, maxResults)) : out;
    }

    /** EPCIS event records by id, by event time then arrival, at most {@code max-results}. */
    public List<Document> inEventTimeOrder(Collection<String> ids) {
        List<Document> out = records(ids);
        out.sort(Comparator.comparing((Document d) -> String.valueOf(eventTime(d)))
                .thenComparing(d -> d.getDate("receivedAt"), Comparator.nullsLast(Comparator.naturalOrder())));
        return out.size() > maxResults ? new ArrayList<>(out.subList(0, maxResults)) : out;
    }

    private static Object eventTime(Document d) {
        Object t = d.get("keys") instanceof Document k ? k.get("eventTime") : null;
        return t instanceof Date date ? date.toInstant().toString() : t;
    }

    /**
     * Ids of the records declaring that they supersede {@code recordId} (EPCIS error declarations, batch amendments):
     * one read by {@code _id} of ingest's {@code supersessions} lookup, for when the resolver's index is not built.
     */
    public List<String> supersederIds(String recordId) {
        Document entry = collection(supersessions).find(Filters.eq("_id", recordId)).first();
        return entry == null ? List.of() : entry.getList("by", String.class, List.of());
    }
}
