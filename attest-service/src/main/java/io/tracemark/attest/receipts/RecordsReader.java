package io.tracemark.attest.receipts;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.tracemark.attest.anchoring.IdChunks;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Read-only view of ingest's {@code records} collection: the salt and canonical bytes a receipt carries
 * and the GTIN webhook filters match on. attest never writes there.
 */
@ApplicationScoped
public class RecordsReader {
    private final MongoClient mongo;
    private final String database;

    public RecordsReader(MongoClient mongo, @ConfigProperty(name = "tracemark.mongodb.database") String database) {
        this.mongo = mongo;
        this.database = database;
    }

    /** What a receipt needs of a record; salt and canonical are {@code null} once erased. */
    public record Content(String salt, String canonical, String gtin) {
    }

    /** The records with the given ids, fetched by id in a few indexed queries; missing ids are absent from the map. */
    public Map<String, Content> find(List<String> ids) {
        Map<String, Content> out = new HashMap<>();
        for (List<String> chunk : IdChunks.of(ids)) {
            mongo.getDatabase(database).getCollection("records").find(Filters.in("_id", chunk))
                    .projection(Projections.include("salt", "canonical", "keys.gtin"))
                    .forEach(d -> out.put(d.getString("_id"), new Content(d.getString("salt"), d.getString("canonical"),
                            d.get("keys", Document.class) == null ? null : d.get("keys", Document.class).getString("gtin"))));
        }
        return out;
    }
}
