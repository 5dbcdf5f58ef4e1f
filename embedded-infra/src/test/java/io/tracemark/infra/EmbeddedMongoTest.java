package io.tracemark.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

class EmbeddedMongoTest {

    @TempDir
    Path dir;

    @Test
    void h2DataSurvivesARestartOnTheSameFile() {
        Path file = EmbeddedMongo.defaultH2File(dir);

        try (EmbeddedMongo mongo = EmbeddedMongo.startH2(file, Ports.LOOPBACK, 0);
                MongoClient client = MongoClients.create(mongo.connectionString())) {
            assertTrue(mongo.connectionString().startsWith("mongodb://127.0.0.1:"), mongo.connectionString());
            collection(client).insertOne(new Document("_id", "rec-1").append("hash", "abc123"));
        }

        try (EmbeddedMongo mongo = EmbeddedMongo.startH2(file, Ports.LOOPBACK, 0);
                MongoClient client = MongoClients.create(mongo.connectionString())) {
            Document found = collection(client).find(Filters.eq("_id", "rec-1")).first();
            assertNotNull(found, "document written before the restart is gone");
            assertEquals("abc123", found.getString("hash"));
        }
    }

    @Test
    void inMemoryServerAcceptsWrites() {
        try (EmbeddedMongo mongo = EmbeddedMongo.startInMemory(Ports.LOOPBACK, 0);
                MongoClient client = MongoClients.create(mongo.connectionString())) {
            assertTrue(mongo.inMemory());
            collection(client).insertOne(new Document("_id", 1));
            assertEquals(1, collection(client).countDocuments());
        }
    }

    private static MongoCollection<Document> collection(MongoClient client) {
        return client.getDatabase("tm_embedded_test").getCollection("records");
    }
}
