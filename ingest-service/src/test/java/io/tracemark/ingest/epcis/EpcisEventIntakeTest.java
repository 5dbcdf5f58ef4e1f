package io.tracemark.ingest.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openepcis.epc.eventhash.EventHashGenerator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import com.mongodb.client.MongoClient;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class EpcisEventIntakeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT = """
            {"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",{"example":"http://ns.example.com/epcis/"}],
             "type":"ObjectEvent","action":"OBSERVE","bizStep":"shipping","disposition":"in_transit",
             "epcList":["urn:epc:id:sgtin:0614141.107346.%s"],
             "eventTime":"2026-04-03T20:33:31.116-06:00","eventTimeZoneOffset":"-06:00",
             "readPoint":{"id":"urn:epc:id:sgln:0614141.07346.1234"},
             "quantityList":[{"epcClass":"urn:epc:class:lgtin:4012345.012345.998877","quantity":200,"uom":"KGM"}],
             "example:myField":"x"}
            """;
    @Inject
    ApiKeyStore keys;
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;
    String apiKey;

    @BeforeEach
    void tenant() {
        apiKey = keys.issue("epcis-" + UUID.randomUUID().toString().substring(0, 8), EnumSet.of(Role.READ, Role.WRITE)).apiKey();
    }

    private ObjectNode event() throws Exception {
        return (ObjectNode) JSON.readTree(EVENT.formatted(UUID.randomUUID().toString().replace("-", "").substring(0, 12)));
    }

    private Response post(String path, Object body) {
        return given().header("Authorization", "Bearer " + apiKey).contentType("application/json")
                .body(body.toString()).post(path);
    }

    @Test
    void eventWithoutEventIdGetsItsCbvHashIdAsEventId() throws Exception {
        ObjectNode ev = event();
        String expected = new EventHashGenerator().fromObjectNode(ev.deepCopy(), new HashMap<>(), "sha-256");
        String id = post("/v1/events", ev).then().statusCode(201).extract().path("id");
        Response stored = given().header("Authorization", "Bearer " + apiKey).get("/v1/records/" + id);
        stored.then().statusCode(200).body("keys.eventHashId", equalTo(expected)).body("keys.eventId", equalTo(expected));
        JsonNode canonical = JSON.readTree(stored.<String>path("canonical"));
        assertEquals(expected, canonical.path("payload").path("eventID").asText());
        assertTrue(expected.startsWith("ni:///sha-256;") && expected.endsWith("?ver=CBV2.0"), expected);
    }

    @Test
    void exactDuplicateEventIsConflictNamingTheExistingRecord() throws Exception {
        ObjectNode ev = event();
        String first = post("/v1/events", ev).then().statusCode(201).extract().path("id");
        ObjectNode again = ev.deepCopy();
        again.put("eventID", "urn:uuid:" + UUID.randomUUID());
        post("/v1/events", again).then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://tracemark.dev/problems/duplicate-record"))
                .body("existing.id", equalTo(first));
    }

    @Test
    void retryWithTheSameIdempotencyKeyReturnsTheSameEvent() throws Exception {
        ObjectNode ev = event();
        String key = UUID.randomUUID().toString();
        String first = given().header("Authorization", "Bearer " + apiKey).header("Idempotency-Key", key)
                .contentType("application/ld+json").body(ev.toString()).post("/v1/events")
                .then().statusCode(201).extract().path("id");
        given().header("Authorization", "Bearer " + apiKey).header("Idempotency-Key", key)
                .contentType("application/ld+json").body(ev.toString()).post("/v1/events")
                .then().statusCode(200).body("id", equalTo(first));
    }

    @Test
    void errorDeclarationSupersedesTheOriginalAndBothAreKept() throws Exception {
        ObjectNode ev = event();
        ev.put("eventID", "urn:uuid:" + UUID.randomUUID());
        Response original = post("/v1/events", ev);
        String originalId = original.then().statusCode(201).extract().path("id");
        String originalDigest = original.path("digest");
        ObjectNode declaration = ev.deepCopy();
        declaration.putObject("errorDeclaration").put("declarationTime", "2026-04-05T10:00:00Z")
                .put("reason", "incorrect_data").putArray("correctiveEventIDs").add("urn:uuid:" + UUID.randomUUID());
        String declId = post("/v1/events", declaration).then().statusCode(201).extract().path("id");
        given().header("Authorization", "Bearer " + apiKey).get("/v1/records/" + declId).then().statusCode(200)
                .body("keys.supersedes", hasItem(originalId)).body("keys.declaration", equalTo(true));
        given().header("Authorization", "Bearer " + apiKey).get("/v1/records/" + originalId).then().statusCode(200)
                .body("supersededBy", hasItem(declId)).body("digest", equalTo(originalDigest));
        // The supersession is also written keyed by the original's id, for verify-service's one-read lookup.
        Document entry = mongo.getDatabase(database).getCollection("supersessions").find(new Document("_id", originalId)).first();
        assertEquals(List.of(declId), entry == null ? null : entry.getList("by", String.class));
        post("/v1/events", declaration).then().statusCode(409)
                .body("type", equalTo("https://tracemark.dev/problems/duplicate-record")).body("existing.id", equalTo(declId));
    }

    private void rejects(Consumer<ObjectNode> mutation, String pointer, String code) throws Exception {
        ObjectNode ev = event();
        mutation.accept(ev);
        post("/v1/events", ev).then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://tracemark.dev/problems/validation"))
                .body("errors.pointer", hasItem(pointer)).body("errors.code", hasItem(code));
    }

    @Test
    void rejectsUnknownEventType() throws Exception {
        rejects(e -> e.put("type", "QuantityEvent"), "/payload/type", "epcis.event-type");
    }

    @Test
    void rejectsMissingOrNonIsoEventTime() throws Exception {
        rejects(e -> e.remove("eventTime"), "/payload/eventTime", "epcis.event-time");
        rejects(e -> e.put("eventTime", "2026-04-03 20:33"), "/payload/eventTime", "epcis.event-time");
    }

    @Test
    void rejectsBadTimeZoneOffset() throws Exception {
        rejects(e -> e.put("eventTimeZoneOffset", "-6"), "/payload/eventTimeZoneOffset", "epcis.timezone-offset");
    }

    @Test
    void rejectsObjectEventWithoutValidAction() throws Exception {
        rejects(e -> e.remove("action"), "/payload/action", "epcis.action");
        rejects(e -> e.put("action", "UPDATE"), "/payload/action", "epcis.action");
    }

    @Test
    void rejectsTransformationEventWithAction() throws Exception {
        rejects(e -> e.put("type", "TransformationEvent"), "/payload/action", "epcis.action");
    }

    @Test
    void rejectsTransactionEventWithoutBusinessTransaction() throws Exception {
        rejects(e -> e.put("type", "TransactionEvent"), "/payload/bizTransactionList", "epcis.biz-transaction-required");
    }

    @Test
    void rejectsAssociationEventWithoutParentId() throws Exception {
        rejects(e -> e.put("type", "AssociationEvent").put("action", "ADD"), "/payload/parentID", "epcis.parent-id-required");
    }

    @Test
    void rejectsEventIdThatIsNotAUri() throws Exception {
        rejects(e -> e.put("eventID", "event 42"), "/payload/eventID", "epcis.event-id");
    }

    @Test
    void rejectsEpcListEntryThatIsNotAUri() throws Exception {
        rejects(e -> ((ArrayNode) e.get("epcList")).add(42), "/payload/epcList/1", "epcis.epc-list");
    }

    @Test
    void rejectsQuantityWithBadUnitOrNegativeAmount() throws Exception {
        rejects(e -> ((ObjectNode) e.get("quantityList").get(0)).put("uom", "kilogram"), "/payload/quantityList/0/uom", "epcis.uom");
        rejects(e -> ((ObjectNode) e.get("quantityList").get(0)).put("quantity", -1), "/payload/quantityList/0/quantity", "epcis.quantity");
    }

    @Test
    void rejectsErrorDeclarationWithoutDeclarationTime() throws Exception {
        rejects(e -> e.putObject("errorDeclaration").put("reason", "incorrect_data"),
                "/payload/errorDeclaration/declarationTime", "epcis.error-declaration");
    }

    @Test
    void rejectsEventThatIsNotAnObject() {
        post("/v1/events", "[1,2]").then().statusCode(422).body("errors.code", hasItem("type.object"));
    }

    @Test
    void rejectsEventOverTheRecordSizeLimit() throws Exception {
        ObjectNode ev = event();
        ev.put("example:padding", "x".repeat(70_000));
        post("/v1/events", ev).then().statusCode(413)
                .body("type", equalTo("https://tracemark.dev/problems/payload-too-large"))
                .body("errors.code", hasItem("size.exceeded"));
    }
}
