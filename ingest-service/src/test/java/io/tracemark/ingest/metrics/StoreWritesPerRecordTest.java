package io.tracemark.ingest.metrics;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.KafkaTestClient;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.ingest.tenants.TenantDirectory;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.tracemark.ingest.metrics.StoreMetrics.COMMANDS;
import static io.tracemark.ingest.metrics.StoreMetrics.DOCUMENTS_WRITTEN;
import static io.tracemark.ingest.metrics.StoreMetrics.value;
import static io.tracemark.ingest.metrics.StoreMetrics.written;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Store writes per record are counted on {@code /q/metrics}: one per product batch or EPCIS event. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class StoreWritesPerRecordTest {
    @Inject
    ApiKeyStore keys;
    @Inject
    MongoClient mongo;
    @Inject
    TenantDirectory tenants;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void oneProductBatchOverHttpIsOneDocumentWrittenToRecordsAndNothingElse() {
        String apiKey = keys.issue("metrics-" + UUID.randomUUID().toString().substring(0, 8),
                EnumSet.of(Role.READ, Role.WRITE)).apiKey();
        long records = written("records");
        long inserts = value(COMMANDS, "insert", "records");
        long lookups = written("digests") + written("work_chunks");
        given().header("Authorization", "Bearer " + apiKey).contentType(ContentType.JSON)
                .body("{\"gtin\":\"4006381333931\",\"lot\":\"M-1\",\"quantity\":5,\"unit\":\"H87\"}")
                .post("/v1/products/batches").then().statusCode(201);
        assertEquals(records + 1, written("records"));
        assertEquals(records + 1, value(DOCUMENTS_WRITTEN, "insert", "records"), "the one write is the insert");
        assertEquals(inserts + 1, value(COMMANDS, "insert", "records"));
        assertEquals(lookups, written("digests") + written("work_chunks"), "no lookup entry for a product batch");
    }

    @Test
    void aBulkOfNKafkaRecordsIsNDocumentsWrittenToRecords() {
        int n = 300;
        String tenant = "metrics-kafka-" + UUID.randomUUID().toString().substring(0, 8);
        tenants.register(tenant);
        long records = written("records");
        long lookups = written("digests") + written("work_chunks");
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            for (int i = 0; i < n; i++) {
                kafka.send("tracemark.records", null, "{\"type\":\"product.batch\",\"idempotencyKey\":\"k-" + i
                        + "\",\"payload\":{\"gtin\":\"4006381333931\",\"lot\":\"KM-" + i + "\"}}", Map.of("tracemark-tenant", tenant));
            }
        }
        MongoCollection<Document> stored = mongo.getDatabase(database).getCollection("records");
        await().atMost(Duration.ofSeconds(90)).until(() -> stored.countDocuments(Filters.eq("tenant", tenant)) == n);
        assertEquals(records + n, written("records"));
        assertEquals(lookups, written("digests") + written("work_chunks"));
    }

    @Test
    void bulkWritesCountEveryDocumentWhetherSentInTheBodyOrAsADocumentSequence() {
        MongoCollection<Document> scratch = mongo.getDatabase(database).getCollection("metrics_scratch");
        long inserted = value(DOCUMENTS_WRITTEN, "insert", "metrics_scratch");
        long updated = value(DOCUMENTS_WRITTEN, "update", "metrics_scratch");
        long deleted = value(DOCUMENTS_WRITTEN, "delete", "metrics_scratch");
        long insertCommands = value(COMMANDS, "insert", "metrics_scratch");
        long modified = value(DOCUMENTS_WRITTEN, "findAndModify", "metrics_scratch");
        List<Document> docs = new ArrayList<>();
        List<WriteModel<Document>> updates = new ArrayList<>();
        List<WriteModel<Document>> deletes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String id = UUID.randomUUID().toString();
            docs.add(new Document("_id", id).append("i", i));
            updates.add(new UpdateOneModel<>(Filters.eq("_id", id), Updates.set("seen", true)));
            deletes.add(new DeleteOneModel<>(Filters.eq("_id", id)));
        }
        // insertMany sends its documents as an OP_MSG document sequence, insertOne inside the command body.
        scratch.insertMany(docs);
        scratch.insertOne(new Document("_id", UUID.randomUUID().toString()));
        scratch.bulkWrite(updates);
        scratch.bulkWrite(deletes);
        scratch.findOneAndUpdate(Filters.eq("i", -1), Updates.set("i", -1), new FindOneAndUpdateOptions().upsert(true));
        assertEquals(inserted + 1001, value(DOCUMENTS_WRITTEN, "insert", "metrics_scratch"));
        assertEquals(updated + 1000, value(DOCUMENTS_WRITTEN, "update", "metrics_scratch"));
        assertEquals(deleted + 1000, value(DOCUMENTS_WRITTEN, "delete", "metrics_scratch"));
        assertEquals(modified + 1, value(DOCUMENTS_WRITTEN, "findAndModify", "metrics_scratch"));
        assertTrue(value(COMMANDS, "insert", "metrics_scratch") >= insertCommands + 2);
        // Handshakes and pings name no collection and never show up.
        given().get("/q/health/ready");
        String text = given().get("/q/metrics").then().extract().asString();
        assertTrue(!text.contains("command=\"hello\"") && !text.contains("command=\"ping\"")
                && !text.contains("command=\"endSessions\""), "admin commands are not counted");
    }
}
