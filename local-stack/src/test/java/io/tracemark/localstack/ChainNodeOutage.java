package io.tracemark.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A fault step: every chain-node replica stopped at once while the load flows, then started again.
 * Without the ledger, intake must go on (records accepted and their leaves queued on Kafka) while
 * nothing accepted during the outage can be anchored; the backlog drains once the replicas are back.
 * What ingest's and attest's readiness said meanwhile is recorded, not judged.
 */
final class ChainNodeOutage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * What was seen during one outage.
     *
     * @param acceptedDuring  the load tenant's records stored with {@code receivedAt} inside the outage
     * @param anchoredDuring  how many of the load tenant's records accepted inside the outage had a {@code record.anchored}
     *                        event on {@code tracemark.events} before it ended
     * @param probeStatus     HTTP status of a product batch posted by the demo tenant during the outage
     * @param probeRecordId   that record's id (to check it is anchored after the outage), or null
     */
    record Observed(Duration length, long acceptedDuring, long anchoredDuring, int probeStatus, String probeRecordId,
                    List<String> ingestReadiness, List<String> attestReadiness) {
        String summary() {
            return String.format("both chain-node replicas down %d s: %d records of the load tenant accepted during the outage,"
                            + " %d of them anchored before the restart; a product batch POSTed meanwhile got HTTP %d;"
                            + " ingest /q/health/ready: %s; attest /q/health/ready: %s",
                    length.toSeconds(), acceptedDuring, anchoredDuring, probeStatus,
                    String.join(", ", distinct(ingestReadiness)), String.join(", ", distinct(attestReadiness)));
        }
    }

    private ChainNodeOutage() {
    }

    /** Stops every chain-node replica for {@code length}, observing intake, anchoring and readiness, then starts them. */
    static Observed run(LocalStack stack, String loadTenant, Duration length, PrintStream log) throws Exception {
        String[] replicas = stack.services().keySet().stream().filter(n -> n.startsWith("chain-node")).toArray(String[]::new);
        log.println("  chain-node outage      stopping " + String.join(", ", replicas) + " for " + length.toSeconds() + " s");
        stack.stop(replicas);
        Instant from = Instant.now();
        List<String> ingest = new ArrayList<>();
        List<String> attest = new ArrayList<>();
        int probeStatus = -1;
        String probeId = null;
        while (Duration.between(from, Instant.now()).compareTo(length) < 0) {
            ingest.add(readiness(stack.services().get("ingest-service").url()));
            attest.add(readiness(stack.services().get("attest-service").url()));
            if (probeStatus < 0 && Duration.between(from, Instant.now()).toSeconds() >= length.toSeconds() / 2) {
                HttpResponse<String> r = probe(stack);
                probeStatus = r.statusCode();
                probeId = r.statusCode() / 100 == 2 ? JSON.readTree(r.body()).path("id").asText(null) : null;
            }
            Thread.sleep(2500);
        }
        long acceptedDuring;
        try (MongoClient client = MongoClients.create(stack.mongoConnectionString())) {
            acceptedDuring = client.getDatabase("tracemark").getCollection("records").countDocuments(
                    Filters.and(Filters.eq("tenant", loadTenant), Filters.gte("receivedAt", Date.from(from))));
        }
        // Anchoring state lives on the event log only: records accepted since the outage began with a record.anchored event.
        EventLog events = EventLog.read(stack.kafkaBootstrapServers(), loadTenant);
        Map<String, Instant> accepted = events.acceptedAt();
        long anchoredDuring = events.anchoredRecordIds().stream()
                .filter(id -> accepted.containsKey(id) && !accepted.get(id).isBefore(from)).count();
        Duration took = Duration.between(from, Instant.now());
        stack.start(replicas);
        Observed o = new Observed(took, acceptedDuring, anchoredDuring, probeStatus, probeId, ingest, attest);
        log.println("  chain-node outage      " + o.summary());
        return o;
    }

    /** The demo tenant registers a product batch over HTTP, as an ERP would during the outage. */
    private static HttpResponse<String> probe(LocalStack stack) throws IOException, InterruptedException {
        String lot = "OUTAGE-" + UUID.randomUUID().toString().substring(0, 8);
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.services().get("ingest-service").url() + "/v1/products/batches"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + stack.demoApiKey())
                .header("Content-Type", "application/json").header("Idempotency-Key", lot)
                .POST(HttpRequest.BodyPublishers.ofString("{\"gtin\":\"04006381333931\",\"lot\":\"" + lot
                        + "\",\"quantity\":10,\"unit\":\"H87\",\"productionDate\":\"2026-11-01\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code 200 UP} or {@code 503 DOWN [check, ...]}: the readiness status and which checks were down. */
    private static String readiness(String baseUrl) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            List<String> down = new ArrayList<>();
            body.path("checks").forEach(c -> {
                if (!"UP".equals(c.path("status").asText())) {
                    down.add(c.path("name").asText());
                }
            });
            return r.statusCode() + " " + body.path("status").asText("?") + (down.isEmpty() ? "" : " " + down);
        } catch (IOException e) {
            return "unreachable (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static List<String> distinct(List<String> samples) {
        return samples.stream().distinct().toList();
    }
}
