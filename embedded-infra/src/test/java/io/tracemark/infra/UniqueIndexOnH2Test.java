package io.tracemark.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.bson.Document;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * Documents and unique indexes of the durable H2 store, which {@link StoredObjectType} stores and orders as H2's own
 * type does: files go back and forth between the two.
 */
class UniqueIndexOnH2Test {
    private static final int DUPLICATE_KEY = 11000;

    @TempDir
    Path dir;

    @Test
    void indexKeyTypeOrdersKeysExactlyAsH2sObjectDataTypeDoes() {
        Random random = new Random(7);
        ObjectDataType h2 = new ObjectDataType();
        StoredObjectType ours = new StoredObjectType(new StoredObjectType.Cache(64));
        List<KeyValue> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            keys.add(switch (i % 4) {
                case 0 -> new KeyValue("tenant-" + random.nextInt(5), "key-" + random.nextInt(1000));
                case 1 -> new KeyValue(Integer.toHexString(random.nextInt()));
                case 2 -> new KeyValue("t", random.nextInt(100));
                default -> new KeyValue(new ArrayList<>(java.util.Arrays.asList("t", null)));
            });
        }
        for (KeyValue a : keys) {
            for (KeyValue b : keys) {
                // Twice: the second comparison reads both keys' bytes from the cache.
                assertEquals(Integer.signum(h2.compare(a, b)), Integer.signum(ours.compare(a, b)), a + " vs " + b);
                assertEquals(Integer.signum(h2.compare(a, b)), Integer.signum(ours.compare(a, b)), a + " vs " + b);
            }
        }
    }

    @Test
    void aUniqueIndexWrittenByStockH2StillFindsAndRejectsItsKeysAndStockH2ReadsWhatWasAddedSince() {
        Path file = EmbeddedMongo.defaultH2File(dir);
        withStockH2(file, c -> {
            c.createIndex(Indexes.ascending("tenant", "naturalKey"), new IndexOptions().unique(true));
            for (int i = 0; i < 500; i++) {
                c.insertOne(record(i));
            }
        });

        try (EmbeddedMongo mongo = EmbeddedMongo.startH2(file, Ports.LOOPBACK, 0);
                MongoClient client = MongoClients.create(mongo.connectionString())) {
            MongoCollection<Document> c = collection(client);
            assertAllFound(c, 500);
            MongoWriteException duplicate = assertThrows(MongoWriteException.class,
                    () -> c.insertOne(record(123).append("_id", "another-id")));
            assertEquals(DUPLICATE_KEY, duplicate.getCode());
            for (int i = 500; i < 1000; i++) {
                c.insertOne(record(i));
            }
            c.updateOne(Filters.eq("_id", "rec-5"), Updates.set("note", "changed after the upgrade"));
            // Stored, committed (so serialized), then changed in place by the server and committed again.
            c.updateOne(Filters.eq("_id", "rec-999"), Updates.set("note", "changed after it was stored"));
            assertAllFound(c, 1000);
        }

        withStockH2(file, c -> {
            assertAllFound(c, 1000);
            assertEquals("changed after the upgrade", c.find(Filters.eq("_id", "rec-5")).first().getString("note"));
            assertEquals("changed after it was stored", c.find(Filters.eq("_id", "rec-999")).first().getString("note"));
            MongoWriteException duplicate = assertThrows(MongoWriteException.class,
                    () -> c.insertOne(record(777).append("_id", "yet-another-id")));
            assertEquals(DUPLICATE_KEY, duplicate.getCode());
        });
    }

    private static Document record(int i) {
        return new Document("_id", "rec-" + i).append("tenant", "tenant-" + (i % 7)).append("naturalKey", "batch-" + i * 31)
                .append("payload", List.of("x", i));
    }

    private static void assertAllFound(MongoCollection<Document> c, int n) {
        for (int i = 0; i < n; i++) {
            Document found = c.find(Filters.and(Filters.eq("tenant", "tenant-" + (i % 7)),
                    Filters.eq("naturalKey", "batch-" + i * 31))).first();
            assertNotNull(found, "record " + i + " not found through its unique index");
            assertEquals("rec-" + i, found.getString("_id"));
            assertEquals(List.of("x", i), found.getList("payload", Object.class));
        }
    }

    private static void withStockH2(Path file, Consumer<MongoCollection<Document>> work) {
        try {
            java.nio.file.Files.createDirectories(file.getParent());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        MongoServer server = new MongoServer(new H2Backend(file.toString()));
        server.bind(Ports.LOOPBACK, 0);
        InetSocketAddress at = server.getLocalAddress();
        try (MongoClient client = MongoClients.create("mongodb://" + Ports.LOOPBACK + ":" + at.getPort())) {
            work.accept(collection(client));
        } finally {
            server.shutdown();
        }
    }

    private static MongoCollection<Document> collection(MongoClient client) {
        return client.getDatabase("tm_index_test").getCollection("records");
    }
}
