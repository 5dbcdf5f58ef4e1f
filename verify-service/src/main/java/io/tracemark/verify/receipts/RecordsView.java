package io.tracemark.verify.receipts;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Read-only view of the record store (written by ingest-service) and of anchoring state (written by
 * attest-service). verify-service never writes to either.
 */
@ApplicationScoped
public class RecordsView {
    private final MongoClient mongo;
    private final String database;
    private final String records;
    private final String anchors;

    public RecordsView(MongoClient mongo,
                       @ConfigProperty(name = "tracemark.mongodb.database") String database,
                       @ConfigProperty(name = "tracemark.verify.records-collection") String records,
                       @ConfigProperty(name = "tracemark.verify.anchors-collection") String anchors) {
        this.mongo = mongo;
        this.database = database;
        this.records = records;
        this.anchors = anchors;
    }

    private MongoCollection<Document> collection(String name) {
        return mongo.getDatabase(database).getCollection(name);
    }

    /** A stored record by id. */
    public Optional<Document> record(String id) {
        return Optional.ofNullable(collection(records).find(Filters.eq("_id", id)).first());
    }

    /** The anchoring state of a record, if attest has seen it. */
    public Optional<Document> anchor(String recordId) {
        return Optional.ofNullable(collection(anchors).find(Filters.eq("_id", recordId)).first());
    }
}
