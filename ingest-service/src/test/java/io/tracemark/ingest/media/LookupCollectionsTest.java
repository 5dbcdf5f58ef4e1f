package io.tracemark.ingest.media;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ingest writes the {@code work_chunks} and {@code digests} lookup collections with media works only,
 * idempotently; record digests are found on {@code records} by its unique index, never in a lookup collection.
 */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class LookupCollectionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @Inject
    ApiKeyStore keys;
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;
    String apiKey;

    @BeforeEach
    void tenant() {
        apiKey = keys.issue("lookups-" + UUID.randomUUID().toString().substring(0, 8), EnumSet.of(Role.READ, Role.WRITE)).apiKey();
    }

    private Response upload(String idempotencyKey, byte[] file) {
        ObjectNode meta = JSON.createObjectNode().put("title", "Lookup test").put("mediaType", "image/png");
        meta.putArray("creators").add("Ada Example");
        return given().header("Authorization", "Bearer " + apiKey).header("Idempotency-Key", idempotencyKey)
                .multiPart("metadata", meta.toString(), "application/json")
                .multiPart("file", "work.png", file, "image/png").post("/v1/works");
    }

    private MongoDatabase db() {
        return mongo.getDatabase(database);
    }

    /** How often the record appears under each of its four chunks, then under its file SHA-256. */
    private List<Long> occurrences(String id, Document keys) {
        List<Long> out = new java.util.ArrayList<>();
        for (Integer chunk : keys.getList("phashChunks", Integer.class)) {
            Document d = db().getCollection("work_chunks").find(Filters.eq("_id", chunk)).first();
            assertNotNull(d, "no work_chunks entry for chunk " + chunk);
            out.add(d.getList("ids", String.class).stream().filter(id::equals).count());
        }
        Document d = db().getCollection("digests").find(Filters.eq("_id", keys.getString("sha256"))).first();
        assertNotNull(d, "no digests entry for " + keys.getString("sha256"));
        out.add(d.getList("ids", String.class).stream().filter(id::equals).count());
        return out;
    }

    private Document record(String id) {
        return db().getCollection("records").find(Filters.eq("_id", id)).first();
    }

    @Test
    void storedWorkIsListedOnceUnderEachPhashChunkAndItsFileSha256ButNotUnderItsDigest() throws Exception {
        String id = upload(UUID.randomUUID().toString(), MediaWorkIntakeTest.png(21)).then().statusCode(201)
                .extract().path("id");
        Document r = record(id);
        assertEquals(List.of(1L, 1L, 1L, 1L, 1L), occurrences(id, r.get("keys", Document.class)));
        assertNull(db().getCollection("digests").find(Filters.eq("_id", r.getString("digest"))).first(),
                "record digests are looked up on records, not in digests");
        assertEquals(1, db().getCollection("records").countDocuments(Filters.eq("digest", r.getString("digest"))));
    }

    @Test
    void productBatchesAndEpcisEventsGetNoLookupEntries() {
        String batch = given().header("Authorization", "Bearer " + apiKey).contentType("application/json")
                .body("{\"gtin\":\"4006381333931\",\"lot\":\"LK-" + UUID.randomUUID().toString().substring(0, 8) + "\"}")
                .post("/v1/products/batches").then().statusCode(201).extract().path("id");
        String event = given().header("Authorization", "Bearer " + apiKey).contentType("application/json")
                .body("{\"type\":\"ObjectEvent\",\"action\":\"OBSERVE\",\"epcList\":[\"urn:epc:id:sgtin:0614141.107346."
                        + UUID.randomUUID().toString().substring(0, 8) + "\"],\"eventTime\":\"2026-01-01T00:00:00Z\","
                        + "\"eventTimeZoneOffset\":\"+00:00\"}")
                .post("/v1/events").then().statusCode(201).extract().path("id");
        for (String id : List.of(batch, event)) {
            assertEquals(0, db().getCollection("digests").countDocuments(Filters.eq("ids", id)), id);
            assertEquals(0, db().getCollection("work_chunks").countDocuments(Filters.eq("ids", id)), id);
        }
    }

    @Test
    void recordsHaveAUniqueDigestIndexInsteadOfTheOldPlainOne() {
        List<Document> indexes = db().getCollection("records").listIndexes().into(new java.util.ArrayList<>());
        Document digest = indexes.stream().filter(i -> "digest_unique".equals(i.getString("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no digest_unique index: " + indexes));
        assertEquals(new Document("digest", 1), digest.get("key", Document.class));
        assertEquals(true, digest.getBoolean("unique"));
        assertTrue(indexes.stream().noneMatch(i -> "digest".equals(i.getString("name"))), indexes.toString());
    }

    @Test
    void redeliveryRestoresMissingLookupEntriesWithoutDuplicatingThem() throws Exception {
        String key = UUID.randomUUID().toString();
        byte[] file = MediaWorkIntakeTest.png(22);
        String id = upload(key, file).then().statusCode(201).extract().path("id");
        Document r = record(id);
        Document keys = r.get("keys", Document.class);
        // As if ingest had crashed after inserting the record but before writing one chunk's entry.
        Integer first = keys.getList("phashChunks", Integer.class).get(0);
        db().getCollection("work_chunks").updateOne(Filters.eq("_id", first),
                Updates.pull("ids", id));

        String again = upload(key, file).then().statusCode(200).extract().path("id");
        assertEquals(id, again);
        upload(key, file).then().statusCode(200);
        assertEquals(List.of(1L, 1L, 1L, 1L, 1L), occurrences(id, keys));
    }
}
