package io.tracemark.ingest.records;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.mongodb.client.MongoClient;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A batch larger than {@code tracemark.ingest.store-batch-size} is written in several commands with the same outcomes. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class StoreBatchesTest {
    @Inject
    MongoClient mongo;

    private static PendingRecord pending(String key, String natural, String requestHash) {
        Envelope env = Envelope.seal("t", "product.batch", JsonNodeFactory.instance.objectNode().put("lot", natural));
        return new PendingRecord(env, key, requestHash, new Document(), natural, "public");
    }

    @Test
    void collisionsInLaterWritesOfABatchAreReportedAtTheirOwnPositions() {
        String database = TracemarkInfraResource.DATABASE_PREFIX + "chunks_" + UUID.randomUUID().toString().substring(0, 8);
        RecordStore store = new RecordStore(mongo, database, "records", 2,
                new LookupIndex(mongo, database, "work_chunks", "digests", "supersessions"));
        store.ensureIndexes();
        List<PendingRecord> batch = new ArrayList<>();
        batch.add(pending("k1", "lot-1", "h1"));
        batch.add(pending("k2", "lot-2", "h2"));
        batch.add(pending("k3", "lot-3", "h3"));
        batch.add(pending("k1", "lot-1", "h1"));      // a retry of the first record, in the second write
        batch.add(pending("k2", "lot-9", "other"));   // the second record's key reused for another body, in the third write
        batch.add(pending("k6", "lot-3", "h6"));      // the third record's natural key under a new key
        List<RecordStore.Outcome> out = store.storeAll(batch);
        assertEquals(6, out.size());
        RecordStore.Stored first = assertInstanceOf(RecordStore.Stored.class, out.get(0));
        assertInstanceOf(RecordStore.Stored.class, out.get(1));
        RecordStore.Stored third = assertInstanceOf(RecordStore.Stored.class, out.get(2));
        RecordStore.Stored retry = assertInstanceOf(RecordStore.Stored.class, out.get(3));
        assertEquals(first.record().id(), retry.record().id(), "the retry finds the record stored the first time");
        assertInstanceOf(RecordStore.Conflict.class, out.get(4));
        RecordStore.Duplicate dup = assertInstanceOf(RecordStore.Duplicate.class, out.get(5));
        assertEquals(third.record().id(), dup.existing().id());
        assertEquals(3, mongo.getDatabase(database).getCollection("records").countDocuments());
        mongo.getDatabase(database).drop();
    }

    @Test
    void eachWritesOutcomesArePassedOnBeforeTheNextWriteStarts() {
        String database = TracemarkInfraResource.DATABASE_PREFIX + "early_" + UUID.randomUUID().toString().substring(0, 8);
        RecordStore store = new RecordStore(mongo, database, "records", 2,
                new LookupIndex(mongo, database, "work_chunks", "digests", "supersessions"));
        store.ensureIndexes();
        List<PendingRecord> batch = List.of(pending("a1", "lot-a1", "h"), pending("a2", "lot-a2", "h"),
                pending("a3", "lot-a3", "h"), pending("a4", "lot-a4", "h"), pending("a5", "lot-a5", "h"));
        List<String> seen = new ArrayList<>();
        List<RecordStore.Outcome> out = store.storeAll(batch, (from, written) -> {
            long stored = mongo.getDatabase(database).getCollection("records").countDocuments();
            seen.add(from + ":" + written.size() + ":" + stored);
        });
        assertEquals(List.of("0:2:2", "2:2:4", "4:1:5"), seen,
                "each write's outcomes come while the later records are not stored yet (their anchor requests go out early)");
        assertEquals(5, out.size());
        mongo.getDatabase(database).drop();
    }

    @Test
    void aStoreBatchSizeBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RecordStore(mongo, "x", "records", 0,
                new LookupIndex(mongo, "x", "work_chunks", "digests", "supersessions")));
    }
}
