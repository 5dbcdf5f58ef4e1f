package io.tracemark.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.proofs.cli.VerifyCli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An EPCIS 2.0 event naming items of several GTINs (shaped like the first example of the GS1 EPCIS 2.0 standard: a
 * shipment of serialised items against a purchase order) goes the whole way on the running stack: registered over
 * HTTP, anchored with every replica's signature, announced in {@code record.anchored}, shown as anchored by ingest, and
 * its receipt passes the README's offline check at threshold 2. Such events once failed attest's receipt step for
 * ever, because ingest keeps their GTINs as a list.
 */
class MultiGtinEventEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = EndToEndStack.get().stack();
    }

    private static String url(String service) {
        return stack.services().get(service).url();
    }

    private static HttpResponse<String> send(String method, String uri, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + stack.demoApiKey())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GS1 EPCIS 2.0 example 1's shape with two GTINs of company prefix 0614141 (GS1's own example prefix). */
    private static String shipment(long serial) {
        return "{\"type\":\"ObjectEvent\",\"eventTime\":\"2026-12-05T00:" + String.format("%02d", serial % 60)
                + ":00.000+01:00\",\"eventTimeZoneOffset\":\"+01:00\","
                + "\"epcList\":[\"urn:epc:id:sgtin:0614141.107346." + serial + "\",\"urn:epc:id:sgtin:0614141.107346."
                + (serial + 1) + "\",\"urn:epc:id:sgtin:0614141.112345." + serial + "\"],"
                + "\"action\":\"OBSERVE\",\"bizStep\":\"shipping\",\"disposition\":\"in_transit\","
                + "\"readPoint\":{\"id\":\"urn:epc:id:sgln:0614141.07346.1234\"},"
                + "\"bizTransactionList\":[{\"type\":\"po\",\"bizTransaction\":\"urn:epcglobal:cbv:bt:0614141073467:PO-" + serial
                + "\"}]}";
    }

    /** The record's {@code record.anchored} event from the pull feed, paging with its cursor. */
    private static JsonNode anchoredEvent(String id) throws Exception {
        for (long deadline = System.currentTimeMillis() + 90_000; System.currentTimeMillis() < deadline; Thread.sleep(250)) {
            String after = null;
            while (true) {
                String page = url("attest-service") + "/v1/events?types=record.anchored&limit=1000"
                        + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
                HttpResponse<String> r = send("GET", page, null);
                assertEquals(200, r.statusCode(), r.body());
                JsonNode body = JSON.readTree(r.body());
                for (JsonNode e : body.path("events")) {
                    if (id.equals(e.path("data").path("recordId").asText())) {
                        return e;
                    }
                }
                if (body.path("events").isEmpty() || body.path("next").asText("").equals(after)) {
                    break;
                }
                after = body.path("next").asText();
            }
        }
        throw new AssertionError("no record.anchored event for " + id + " within 90 s");
    }

    @Test
    void anEventNamingSeveralGtinsIsAnchoredWithEveryReplicasSignatureAndItsReceiptPassesTheOfflineCheck() throws Exception {
        long serial = ThreadLocalRandom.current().nextLong(1_000_000, 9_000_000);
        HttpResponse<String> created = send("POST", url("ingest-service") + "/v1/events", shipment(serial));
        assertEquals(201, created.statusCode(), created.body());
        String id = JSON.readTree(created.body()).path("id").asText();

        JsonNode anchored = anchoredEvent(id);
        JsonNode data = anchored.path("data");
        assertEquals(2, data.path("expectedSignatures").asInt(), data.toString());
        assertEquals(2, data.path("signatures").asInt(), "signed by both replicas: " + data);

        JsonNode status = JSON.readTree(send("GET", url("ingest-service") + "/v1/records/" + id, null).body());
        assertEquals("anchored", status.path("status").asText(), status.toString());
        assertEquals(data.path("leafIndex").asLong(), status.path("anchoring").path("leafIndex").asLong(-1), status.toString());

        Path dir = Files.createTempDirectory("multi-gtin");
        Files.writeString(dir.resolve("keys.json"), send("GET", url("verify-service") + "/v1/keys", null).body());
        Files.writeString(dir.resolve("receipt.json"), data.path("receipt").toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = VerifyCli.run(new String[]{"receipt", dir.resolve("receipt.json").toString(), "--keys",
                dir.resolve("keys.json").toString(), "--threshold", "2"}, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, out.toString(StandardCharsets.UTF_8));
    }
}
