package io.tracemark.verify.receipts;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.conversions.Bson;
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
 * index, and {@code _id} for the works the in-memory claim index found. So they stay fast on any MongoDB-wire
 * server, including the embedded one, which serves a query from an index only when its keys are a unique index's.
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

    /** Product batch records of one GTIN and lot, oldest first. */
    public List<Document> batches(String gtin, String lot) {
        return find(Filters.and(Filters.eq("type", PRODUCT_BATCH), Filters.eq("keys.gtin", gtin), Filters.eq("keys.lot", lot)));
    }

    /** Product batches that list this GTIN and lot among their inputs (the batch's outputs). */
    public List<Document> outputsOf(String gtin, String lot) {
        return find(Filters.and(Filters.eq("type", PRODUCT_BATCH),
                Filters.elemMatch("keys.inputs", Filters.and(Filters.eq("gtin", gtin), Filters.eq("lot", lot)))));
    }

    /** EPCIS events about this GTIN and lot (optionally one serial's EPC), oldest first. */
    public List<Document> events(String gtin, String lot, String epc) {
        Bson byBatch = Filters.and(Filters.eq("keys.gtin", gtin), Filters.eq("keys.lot", lot));
        Bson filter = epc == null ? byBatch : Filters.or(byBatch, Filters.eq("keys.epcs", epc));
        List<Document> out = new ArrayList<>();
        collection(records).find(Filters.and(Filters.eq("type", EPCIS_EVENT), filter))
                .sort(Sorts.ascending("keys.eventTime", "receivedAt")).limit(maxResults).into(out);
        return out;
    }

    /**
     * Records declaring that they supersede {@code recordId} (EPCIS error declarations), oldest first: one
     * read by {@code _id} of ingest's {@code supersessions} lookup, then the declarations by {@code _id}.
     */
    public List<Document> supersedersOf(String recordId) {
        Document entry = collection(supersessions).find(Filters.eq("_id", recordId)).first();
        List<String> ids = entry == null ? List.of() : entry.getList("by", String.class, List.of());
        return ids.isEmpty() ? List.of() : find(Filters.in("_id", ids));
    }

    private List<Document> find(Bson filter) {
        List<Document> out = new ArrayList<>();
        collection(records).find(filter).sort(Sorts.ascending("receivedAt")).limit(maxResults).into(out);
        return out;
    }
}
