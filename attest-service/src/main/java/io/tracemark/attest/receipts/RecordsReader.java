package io.tracemark.attest.receipts;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.tracemark.attest.ledger.PendingContent.Content;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Read-only view of ingest's records collection: the salt and canonical bytes a receipt carries and the
 * GTINs webhook filters match on. attest never writes there.
 */
@ApplicationScoped
public class RecordsReader {
    /** Ids per {@code _id $in} query: the embedded wire server re-checks each hit against the whole list. */
    private static final int IN_CHUNK = 250;
    private final MongoClient mongo;
    private final String database;
    private final String records;

    public RecordsReader(MongoClient mongo, @ConfigProperty(name = "tracemark.mongodb.database") String database,
                         @ConfigProperty(name = "tracemark.attest.records-collection", defaultValue = "records") String records) {
        this.mongo = mongo;
        this.database = database;
        this.records = records;
    }

    /** The records with the given ids (salt and canonical {@code null} once erased), fetched by id in a few queries; missing ids are absent from the map. */
    public Map<String, Content> find(List<String> ids) {
        Map<String, Content> out = new HashMap<>();
        for (int i = 0; i < ids.size(); i += IN_CHUNK) {
            mongo.getDatabase(database).getCollection(records).find(Filters.in("_id", ids.subList(i, Math.min(ids.size(), i + IN_CHUNK))))
                    .projection(Projections.include("salt", "canonical", "keys.gtin", "keys.sha256"))
                    .forEach(d -> out.put(d.getString("_id"), new Content(d.getString("salt"), d.getString("canonical"), gtins(d), work(d))));
        }
        return out;
    }

    /** {@code keys.sha256}: the file identity, which only media works have. */
    static String work(Document d) {
        Document keys = d.get("keys", Document.class);
        return keys == null ? null : keys.getString("sha256");
    }

    /** {@code keys.gtin} is one GTIN for a product batch and a list for an EPCIS event naming several. */
    static List<String> gtins(Document d) {
        Document keys = d.get("keys", Document.class);
        Object g = keys == null ? null : keys.get("gtin");
        List<String> out = new ArrayList<>();
        if (g instanceof String s) {
            out.add(s);
        } else if (g instanceof List<?> list) {
            list.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }
}
