package io.tracemark.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The README's "An integrator receives events by webhook" story on a stack started with the embedded default's flags:
 * with the demo key from {@code data/demo-api-key}, subscribe a receiver on 127.0.0.1 to {@code record.*}, send a test
 * event, register a batch, and read the endpoint's messages. Returns what went wrong (nothing when the story works).
 */
final class ReadmeWebhookStory {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ReadmeWebhookStory() {
    }

    static List<String> run(LocalStack stack, Path dataDir) throws Exception {
        List<String> problems = new ArrayList<>();
        String key = Files.readString(dataDir.resolve("demo-api-key")).trim();
        String attest = stack.services().get("attest-service").url();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            HttpResponse<String> created = send(attest + "/v1/webhooks", key,
                    "{\"url\":\"" + receiver.url("/hooks") + "\",\"eventTypes\":[\"record.*\"]}");
            if (created.statusCode() != 201) {
                return List.of("subscribing a receiver on 127.0.0.1 was answered " + created.statusCode() + " " + created.body());
            }
            JsonNode endpoint = JSON.readTree(created.body());
            receiver.secret(endpoint.path("secret").asText());
            String id = endpoint.path("id").asText();
            HttpResponse<String> test = send(attest + "/v1/webhooks/" + id + "/test", key, null);
            if (test.statusCode() != 202) {
                problems.add("the test event was answered " + test.statusCode() + " " + test.body());
            }
            HttpResponse<String> batch = send(stack.services().get("ingest-service").url() + "/v1/products/batches", key,
                    "{\"gtin\":\"4006381333931\",\"lot\":\"HOOK-" + UUID.randomUUID().toString().substring(0, 8)
                            + "\",\"quantity\":10,\"unit\":\"H87\"}");
            String recordId = JSON.readTree(batch.body()).path("id").asText();
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && !(receiver.deliveredRecordIds("record.anchored").contains(recordId)
                    && receiver.requests().stream().anyMatch(r -> r.delivered() && "webhook.test".equals(r.type())))) {
                Thread.sleep(250);
            }
            List<String> order = receiver.requests().stream().filter(r -> recordId.equals(r.recordId()))
                    .map(WebhookReceiver.Request::type).toList();
            if (!order.equals(List.of("record.accepted", "record.anchored"))) {
                problems.add("the receiver got " + order + " for the new batch, not its record.accepted then record.anchored");
            }
            if (receiver.requests().stream().noneMatch(r -> r.delivered() && "webhook.test".equals(r.type()))) {
                problems.add("the test event never reached the receiver: " + receiver.requests());
            }
            receiver.requests().stream().filter(r -> r.signatureError() != null).findFirst()
                    .ifPresent(r -> problems.add("a delivery's Standard Webhooks signature did not verify: " + r.signatureError()));
            HttpResponse<String> messages = HTTP.send(HttpRequest.newBuilder(URI.create(attest + "/v1/webhooks/" + id + "/messages"))
                    .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (messages.statusCode() != 200 || JSON.readTree(messages.body()).path("data").size() < 3) {
                problems.add("the endpoint's messages: " + messages.statusCode() + " " + messages.body());
            }
            // The demo tenant's later records would otherwise be retried against a closed receiver.
            HTTP.send(HttpRequest.newBuilder(URI.create(attest + "/v1/webhooks/" + id)).header("Authorization", "Bearer " + key)
                    .timeout(Duration.ofSeconds(20)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        }
        return problems;
    }

    private static HttpResponse<String> send(String uri, String key, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + key);
        if (json != null) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.POST(HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
