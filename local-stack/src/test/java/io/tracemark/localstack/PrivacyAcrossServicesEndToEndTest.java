package io.tracemark.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.proofs.cli.VerifyCli;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Privacy as a user meets it across the whole stack, and after every service restarted: a public and a private
 * batch, one erased; what the public API, the tenant's own views, the event cursor and the offline check show;
 * and a Kafka record naming a tenant nobody set up, which reaches no page.
 */
class PrivacyAcrossServicesEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String GTIN = "04006381333931";
    static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = EndToEndStack.get().stack();
    }

    private static String url(String service) {
        return stack.services().get(service).url();
    }

    private static HttpResponse<String> send(String method, String uri, String apiKey, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static String register(String lot, String visibility) throws Exception {
        String body = "{\"gtin\":\"" + GTIN + "\",\"lot\":\"" + lot + "\",\"quantity\":5,\"unit\":\"H87\"}";
        return json(send("POST", url("ingest-service") + "/v1/products/batches?visibility=" + visibility, stack.demoApiKey(),
                body), 201).path("id").asText();
    }

    /** The receipt verify serves once the record is anchored. */
    private static String receipt(String id) throws Exception {
        for (long deadline = System.currentTimeMillis() + 90_000; System.currentTimeMillis() < deadline; Thread.sleep(250)) {
            HttpResponse<String> r = send("GET", url("verify-service") + "/v1/receipts/" + id, null, null);
            if (r.statusCode() == 200) {
                return r.body();
            }
        }
        throw new AssertionError("record " + id + " was not anchored within 90 s");
    }

    private static void passesOfflineCheck(String receipt) throws Exception {
        Path dir = Files.createTempDirectory("offline");
        Files.writeString(dir.resolve("keys.json"), send("GET", url("chain-node-1") + "/v1/keys", null, null).body());
        Files.writeString(dir.resolve("receipt.json"), receipt);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = VerifyCli.run(new String[]{"receipt", dir.resolve("receipt.json").toString(), "--keys",
                dir.resolve("keys.json").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, out.toString(StandardCharsets.UTF_8));
    }

    private static JsonNode anchoredEvent(String id) throws Exception {
        JsonNode page = json(send("GET", url("attest-service") + "/v1/events?types=record.anchored&limit=1000",
                stack.demoApiKey(), null), 200);
        for (JsonNode e : page.path("events")) {
            if (id.equals(e.path("data").path("recordId").asText())) {
                return e;
            }
        }
        throw new AssertionError("no record.anchored event for " + id + " in " + page);
    }

    @Test
    void erasedAndPrivateRecordsShowNoContentToThePublicAfterEveryServiceRestartedAndStillVerify() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        String erased = register("ER-" + run, "public");
        String closed = register("PR-" + run, "private");
        String erasedSalt = json(send("GET", url("ingest-service") + "/v1/records/" + erased, stack.demoApiKey(), null), 200)
                .path("salt").asText();
        receipt(erased);
        receipt(closed);
        JsonNode tombstone = json(send("DELETE", url("ingest-service") + "/v1/records/" + erased + "/content",
                stack.demoApiKey(), null), 200);
        assertTrue(tombstone.path("canonical").isNull() && tombstone.path("salt").isNull(), tombstone.toString());

        for (String service : new String[]{"ingest-service", "attest-service", "verify-service"}) {
            stack.killAndRestart(service);
        }

        JsonNode publicView = json(send("GET", url("verify-service") + "/v1/records/" + erased, null, null), 200);
        assertEquals("erased", publicView.path("content").asText());
        assertTrue(publicView.path("canonical").isMissingNode());
        String erasedReceipt = receipt(erased);
        assertFalse(erasedReceipt.contains("\"canonical\"") || erasedReceipt.contains(erasedSalt), erasedReceipt);
        passesOfflineCheck(erasedReceipt);
        JsonNode verdict = json(send("POST", url("verify-service") + "/v1/verify", null,
                "{\"receipt\":" + erasedReceipt + "}"), 200);
        boolean saysErased = false;
        for (JsonNode c : verdict.path("checks")) {
            saysErased |= c.path("code").asText().equals("record.content") && c.path("detail").asText().contains("erased");
        }
        assertTrue(saysErased, verdict.toString());

        JsonNode privateView = json(send("GET", url("verify-service") + "/v1/records/" + closed, null, null), 200);
        assertEquals("private", privateView.path("content").asText());
        String closedReceipt = receipt(closed);
        assertFalse(closedReceipt.contains("\"canonical\"") || closedReceipt.contains("\"salt\""), closedReceipt);
        passesOfflineCheck(closedReceipt);

        // The tenant's own views: its private record in full, the erased one as a tombstone everywhere.
        assertFalse(json(send("GET", url("ingest-service") + "/v1/records/" + closed, stack.demoApiKey(), null), 200)
                .path("canonical").isNull());
        assertTrue(json(send("GET", url("ingest-service") + "/v1/records/" + erased, stack.demoApiKey(), null), 200)
                .path("erased").path("erasedAt").isTextual());
        JsonNode event = anchoredEvent(erased);
        assertTrue(event.path("data").path("contentErased").asBoolean(), event.toString());
        assertFalse(event.toString().contains(erasedSalt));
        assertTrue(anchoredEvent(closed).path("data").path("receipt").path("record").path("canonical").isTextual(),
                "the registrant's own event keeps its private record's content");
    }

    @Test
    void aKafkaRecordOfATenantNobodySetUpReachesNoPublicPage() throws Exception {
        String lot = "GHOST" + UUID.randomUUID().toString().substring(0, 4).toUpperCase();
        String key = "ghost-" + UUID.randomUUID();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> r = new ProducerRecord<>("tracemark.records", key, "{\"type\":\"product.batch\","
                    + "\"idempotencyKey\":\"" + key + "\",\"payload\":{\"gtin\":\"" + GTIN + "\",\"lot\":\"" + lot + "\"}}");
            r.headers().add("tracemark-tenant", "ghost".getBytes(StandardCharsets.UTF_8));
            producer.send(r).get();
        }
        boolean deadLettered = false;
        for (long deadline = System.currentTimeMillis() + 60_000; !deadLettered && System.currentTimeMillis() < deadline; ) {
            deadLettered = DeadLetters.problemOf(stack.kafkaBootstrapServers(), key).map(pr -> pr.contains("tenant.unknown"))
                    .orElse(false);
            Thread.sleep(500);
        }
        assertTrue(deadLettered, "the record was dead-lettered as tenant.unknown");
        assertEquals(404, send("GET", url("verify-service") + "/01/" + GTIN + "/10/" + lot, null, null).statusCode());
    }
}
