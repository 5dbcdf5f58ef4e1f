package io.tracemark.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A tenant's side of attest-service's webhook API ({@code /v1/webhooks}), as an integrator calls it. */
final class WebhookSubscriptions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String attestUrl;
    private final String apiKey;

    /** A created endpoint: its id and its signing secret, which the API shows only here. */
    record Subscription(String id, String secret) {
        @Override
        public String toString() {
            return id;
        }
    }

    WebhookSubscriptions(String attestUrl, String apiKey) {
        this.attestUrl = attestUrl;
        this.apiKey = apiKey;
    }

    /** {@code POST /v1/webhooks}: subscribes {@code url} to the given event types; expects 201. */
    Subscription create(String url, List<String> eventTypes) throws Exception {
        String body = JSON.writeValueAsString(java.util.Map.of("url", url, "eventTypes", eventTypes,
                "description", "local-stack fault suite"));
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(attestUrl + "/v1/webhooks"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != 201) {
            throw new IllegalStateException("subscription refused: HTTP " + r.statusCode() + " " + r.body());
        }
        JsonNode s = JSON.readTree(r.body());
        return new Subscription(s.path("id").asText(), s.path("secret").asText());
    }

    /** {@code DELETE /v1/webhooks/{id}}. */
    void delete(Subscription s) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(attestUrl + "/v1/webhooks/" + s.id())).DELETE());
        if (r.statusCode() != 204) {
            throw new IllegalStateException("delete of " + s.id() + ": HTTP " + r.statusCode() + " " + r.body());
        }
    }

    /** The HTTP statuses attest logged for a message's attempts, oldest first (0 = no response). */
    List<Integer> attemptStatuses(Subscription s, String messageId) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(attestUrl + "/v1/webhooks/" + s.id()
                + "/messages/" + messageId + "/attempts")).GET());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("attempt log of " + messageId + ": HTTP " + r.statusCode() + " " + r.body());
        }
        List<Integer> statuses = new ArrayList<>();
        JSON.readTree(r.body()).path("data").forEach(a -> statuses.add(a.path("status").asInt()));
        return statuses;
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + apiKey).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
