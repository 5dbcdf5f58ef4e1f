package io.tracemark.ingest.records;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.ingest.lookup.LookupIndex;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A store written by the previous version (plain {@code digest} index) gets the unique one on start. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class DigestIndexMigrationTest {
    @Inject
    MongoClient mongo;

    @Test
    void oldPlainDigestIndexIsReplacedByTheUniqueOneAndARestartChangesNothing() {
        String database = TracemarkInfraResource.DATABASE_PREFIX + "mig_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> records = mongo.getDatabase(database).getCollection("records");
        records.createIndex(Indexes.ascending("digest"), new IndexOptions().name("digest"));
        records.insertOne(new Document("_id", "old-1").append("tenant", "t").append("idempotencyKey", "k")
                .append("naturalKey", "old-1").append("digest", "aa".repeat(32)));
        RecordStore store = new RecordStore(mongo, database, "records", 250, new LookupIndex(mongo, database, "work_chunks", "digests", "supersessions"));
        store.ensureIndexes();
        store.ensureIndexes();
        List<Document> onDigest = records.listIndexes().into(new ArrayList<>()).stream()
                .filter(i -> i.get("key", Document.class).keySet().equals(java.util.Set.of("digest"))).toList();
        assertEquals(1, onDigest.size(), onDigest.toString());
        assertEquals(RecordStore.DIGEST_INDEX, onDigest.get(0).getString("name"));
        assertTrue(onDigest.get(0).getBoolean("unique"));
        assertEquals(0, mongo.getDatabase(database).getCollection("digests").countDocuments(),
                "the lookup backfill writes nothing for record digests");
        mongo.getDatabase(database).drop();
    }
}
