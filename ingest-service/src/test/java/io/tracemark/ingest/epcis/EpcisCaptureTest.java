package io.tracemark.ingest.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openepcis.epc.eventhash.EventHashGenerator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class EpcisCaptureTest {
    static final String DOCS = "2.0/EPCIS/JSON/Capture/Documents/";
    private static final ObjectMapper JSON = new ObjectMapper();
    @Inject
    ApiKeyStore keys;

    /** All capture example documents of openepcis-test-resources, by file name. */
    static List<Map.Entry<String, byte[]>> exampleDocuments() throws IOException {
        URL dir = EpcisCaptureTest.class.getClassLoader().getResource(DOCS + "ObjectEvent.json");
        String jar = dir.toString().substring("jar:".length(), dir.toString().indexOf("!/"));
        List<Map.Entry<String, byte[]>> out = new ArrayList<>();
        try (FileSystem fs = FileSystems.newFileSystem(Path.of(java.net.URI.create(jar)));
             Stream<Path> files = Files.list(fs.getPath(DOCS))) {
            for (Path p : files.sorted().toList()) {
                if (p.toString().endsWith(".json")) {
                    out.add(Map.entry(p.getFileName().toString(), Files.readAllBytes(p)));
                }
            }
        }
        return out;
    }

    private String newTenantKey() {
        return keys.issue("epcis-" + UUID.randomUUID().toString().substring(0, 8), EnumSet.of(Role.READ, Role.WRITE)).apiKey();
    }

    static Response capture(String apiKey, byte[] doc, String contentType) {
        return given().header("Authorization", "Bearer " + apiKey).contentType(contentType).body(doc)
                .post("/v1/epcis/capture");
    }

    static JsonNode awaitFinished(String apiKey, String statusUrl) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            String body = given().header("Authorization", "Bearer " + apiKey).get(statusUrl)
                    .then().statusCode(200).extract().asString();
            last[0] = JSON.readTree(body);
            return !last[0].path("running").asBoolean();
        });
        return last[0];
    }

    @Test
    void acceptsEveryOpenEpcisExampleDocumentWithTheGeneratorsEventHashIds() throws Exception {
        List<Map.Entry<String, byte[]>> docs = exampleDocuments();
        assertEquals(35, docs.size(), "openepcis-test-resources 0.9.2 ships 35 capture documents");
        for (Map.Entry<String, byte[]> doc : docs) {
            String apiKey = newTenantKey();
            String statusUrl = capture(apiKey, doc.getValue(), "application/ld+json").then()
                    .statusCode(202).header("Location", containsString("/v1/epcis/capture/"))
                    .extract().path("statusUrl");
            JsonNode status = awaitFinished(apiKey, statusUrl);
            assertEquals("done", status.path("state").asText(), doc.getKey() + ": " + status);
            assertTrue(status.path("success").asBoolean(), doc.getKey() + ": " + status.path("errors"));
            List<String> expected;
            try (InputStream in = new ByteArrayInputStream(doc.getValue())) {
                expected = new EventHashGenerator().fromJson(in, "sha-256").collect().asList().await().indefinitely();
            }
            JsonNode events = status.path("events");
            assertEquals(expected.size(), events.size(), doc.getKey());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(i, events.get(i).path("index").asInt());
                assertEquals(expected.get(i), events.get(i).path("eventHashId").asText(), doc.getKey() + " event " + i);
                assertEquals("accepted", events.get(i).path("status").asText(), doc.getKey() + " event " + i);
            }
        }
    }

    private static byte[] document(String... events) {
        return ("{\"@context\":[\"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld\"],"
                + "\"type\":\"EPCISDocument\",\"schemaVersion\":\"2.0\",\"creationDate\":\"2026-01-01T00:00:00Z\","
                + "\"epcisBody\":{\"eventList\":[" + String.join(",", events) + "]}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String objectEvent(String action) {
        return "{\"type\":\"ObjectEvent\",\"action\":\"" + action + "\",\"epcList\":[\"urn:epc:id:sgtin:0614141.107346."
                + UUID.randomUUID().toString().substring(0, 8) + "\"],\"eventTime\":\"2026-01-01T10:00:00Z\","
                + "\"eventTimeZoneOffset\":\"+00:00\"}";
    }

    @Test
    void rollbackCaptureWithOneInvalidEventFailsAndStoresNothing() {
        String apiKey = newTenantKey();
        String url = capture(apiKey, document(objectEvent("ADD"), objectEvent("UPDATE")), "application/json")
                .then().statusCode(202).extract().path("statusUrl");
        JsonNode status = awaitFinished(apiKey, url);
        assertEquals("failed", status.path("state").asText(), status.toString());
        assertEquals(0, status.path("events").size());
        assertEquals("/epcisBody/eventList/1/action", status.path("errors").get(0).path("pointer").asText());
        assertEquals("epcis.action", status.path("errors").get(0).path("code").asText());
    }

    @Test
    void proceedCaptureStoresTheValidEventsAndReportsTheInvalidOnes() {
        String apiKey = newTenantKey();
        String url = given().header("Authorization", "Bearer " + apiKey).header("GS1-Capture-Error-Behaviour", "proceed")
                .contentType("application/json").body(document(objectEvent("ADD"), objectEvent("UPDATE")))
                .post("/v1/epcis/capture").then().statusCode(202).extract().path("statusUrl");
        JsonNode status = awaitFinished(apiKey, url);
        assertEquals("done", status.path("state").asText());
        assertEquals(false, status.path("success").asBoolean());
        assertEquals(1, status.path("events").size());
        assertEquals(0, status.path("events").get(0).path("index").asInt());
        given().header("Authorization", "Bearer " + apiKey).get(status.path("events").get(0).path("statusUrl").asText())
                .then().statusCode(200).body("type", equalTo("epcis.event"));
        assertEquals("/epcisBody/eventList/1/action", status.path("errors").get(0).path("pointer").asText());
    }

    @Test
    void duplicateEventInACaptureIsReportedWithTheExistingRecord() {
        String apiKey = newTenantKey();
        String ev = objectEvent("OBSERVE");
        JsonNode status = awaitFinished(apiKey, capture(apiKey, document(ev, ev), "application/json")
                .then().statusCode(202).extract().path("statusUrl"));
        JsonNode events = status.path("events");
        assertEquals("accepted", events.get(0).path("status").asText());
        assertEquals("duplicate", events.get(1).path("status").asText());
        assertEquals(events.get(0).path("recordId").asText(), events.get(1).path("recordId").asText());
        assertEquals("duplicate-record", status.path("errors").get(0).path("code").asText());
    }

    @Test
    void sameIdempotencyKeyReturnsTheSameCaptureJobAndADifferentBodyConflicts() {
        String apiKey = newTenantKey();
        String key = UUID.randomUUID().toString();
        byte[] doc = document(objectEvent("ADD"));
        String id = given().header("Authorization", "Bearer " + apiKey).header("Idempotency-Key", key)
                .contentType("application/json").body(doc).post("/v1/epcis/capture").then().statusCode(202)
                .extract().path("captureID");
        given().header("Authorization", "Bearer " + apiKey).header("Idempotency-Key", key)
                .contentType("application/json").body(doc).post("/v1/epcis/capture").then().statusCode(202)
                .body("captureID", equalTo(id));
        given().header("Authorization", "Bearer " + apiKey).header("Idempotency-Key", key)
                .contentType("application/json").body(document(objectEvent("ADD"))).post("/v1/epcis/capture")
                .then().statusCode(409).body("type", equalTo("https://tracemark.dev/problems/idempotency-conflict"));
    }

    @Test
    void rejectsCaptureBodyThatIsNotAnEpcisDocument() {
        String apiKey = newTenantKey();
        capture(apiKey, "{\"type\":\"ObjectEvent\"}".getBytes(), "application/json").then().statusCode(422)
                .body("errors.code", hasItem("epcis.document-type")).body("errors.pointer", hasItem("/type"));
        capture(apiKey, document(), "application/json").then().statusCode(422)
                .body("errors.code", hasItem("epcis.event-list"));
        capture(apiKey, "{\"type\":".getBytes(), "application/json").then().statusCode(400)
                .body("type", equalTo("https://tracemark.dev/problems/malformed-json"));
    }

    @Test
    void rejectsUnknownCaptureErrorBehaviour() {
        String apiKey = newTenantKey();
        given().header("Authorization", "Bearer " + apiKey).header("GS1-Capture-Error-Behaviour", "ignore")
                .contentType("application/json").body(document(objectEvent("ADD"))).post("/v1/epcis/capture")
                .then().statusCode(422).body("errors.code", hasItem("epcis.capture-error-behaviour"));
    }

    @Test
    void rejectsCaptureOverTheEventAndSizeLimits() {
        String apiKey = newTenantKey();
        String[] events = new String[101];
        java.util.Arrays.fill(events, objectEvent("ADD"));
        capture(apiKey, document(events), "application/json").then().statusCode(413)
                .body("errors.code", hasItem("epcis.capture-limit"));
        String big = objectEvent("ADD").replace("}", ",\"example:pad\":\"" + "x".repeat(1_100_000) + "\"}");
        capture(apiKey, document(big), "application/json").then().statusCode(413)
                .body("errors.code", hasItem("size.exceeded"));
    }

    @Test
    void captureStatusIsPrivateToItsTenant() {
        String apiKey = newTenantKey();
        String url = capture(apiKey, document(objectEvent("ADD")), "application/json").then().statusCode(202)
                .extract().path("statusUrl");
        given().header("Authorization", "Bearer " + newTenantKey()).get(url).then().statusCode(404);
        given().get(url).then().statusCode(401);
    }
}
