package io.tracemark.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.merkle.Rfc9162Verifier;
import io.tracemark.proofs.note.VerifierSet;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walking skeleton, driven as a user would: the whole local stack (real Kafka broker,
 * MongoDB-wire server on H2, four services as processes) and nothing but HTTP and Kafka.
 */
class WalkingSkeletonEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    static Path data;
    static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        StackOptions o = StackOptions.fromArgs(new String[]{"--repo", "..", "--data", data.toString(),
                "--kafka-port", "0", "--kafka-controller-port", "0", "--mongo-port", "0", "--verify-port", "0",
                "--ingest-port", "0", "--attest-port", "0", "--chain-node-port", "0", "--chain-replicas", "2"});
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        stack = LocalStack.start(o, new PrintStream(progress, true, StandardCharsets.UTF_8));
        String shown = progress.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("ready at"), shown);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static String url(String service) {
        return stack.services().get(service).url();
    }

    private static HttpResponse<String> get(String uri, String apiKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20)).GET();
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyServiceAnswersItsHealthChecks() throws Exception {
        for (ServiceProcess p : stack.services().values()) {
            assertEquals(200, get(p.url() + "/q/health/ready", null).statusCode(), p.name());
            assertEquals(200, get(p.url() + "/q/health/live", null).statusCode(), p.name());
            assertEquals(200, get(p.url() + "/q/metrics", null).statusCode(), p.name());
            assertEquals(200, get(p.url() + "/q/openapi", null).statusCode(), p.name());
        }
        assertTrue(Files.readString(data.resolve("demo-api-key")).trim().startsWith("tmk_"));
    }

    @Test
    void batchPostedOverHttpIsAnchoredAndItsReceiptVerifies() throws Exception {
        String body = "{\"gtin\":\"4006381333931\",\"lot\":\"E2E-" + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"quantity\":10,\"unit\":\"H87\"}";
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(url("ingest-service") + "/v1/products/batches"))
                .header("Authorization", "Bearer " + stack.demoApiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        JsonNode rec = JSON.readTree(created.body());
        verifyReceipt(rec.path("id").asText(), rec.path("digest").asText());
    }

    @Test
    void recordPublishedWithAPlainKafkaProducerIsAnchored() throws Exception {
        String key = "erp-" + UUID.randomUUID();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> r = new ProducerRecord<>("tracemark.records", key,
                    "{\"type\":\"product.batch\",\"idempotencyKey\":\"" + key
                            + "\",\"payload\":{\"gtin\":\"04012345000016\",\"lot\":\"K-1\"}}");
            r.headers().add("tracemark-tenant", "demo".getBytes(StandardCharsets.UTF_8));
            producer.send(r).get();
        }
        JsonNode rec = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> r = get(url("ingest-service") + "/v1/records?idempotencyKey=" + key, stack.demoApiKey());
            if (r.statusCode() == 200) {
                rec = JSON.readTree(r.body());
                break;
            }
            Thread.sleep(200);
        }
        assertTrue(rec != null, "record published on Kafka was never stored");
        verifyReceipt(rec.path("id").asText(), rec.path("digest").asText());
    }

    /** Waits for the record's receipt and checks it with the proofs library alone. */
    private void verifyReceipt(String id, String digest) throws Exception {
        JsonNode receipt = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> r = get(url("verify-service") + "/v1/receipts/" + id, null);
            if (r.statusCode() == 200) {
                receipt = JSON.readTree(r.body());
                break;
            }
            Thread.sleep(250);
        }
        assertTrue(receipt != null, "record " + id + " was not anchored within 60 s");
        byte[] canonical = receipt.path("canonical").asText().getBytes(StandardCharsets.UTF_8);
        byte[] computed = MessageDigest.getInstance("SHA-256").digest(canonical);
        assertEquals(digest, HexFormat.of().formatHex(computed), "digest is SHA-256 of the canonical record");

        List<String> keys = new ArrayList<>();
        JSON.readTree(get(url("chain-node-1") + "/v1/keys", null).body()).path("verifierKeys").forEach(k -> keys.add(k.asText()));
        JSON.readTree(get(url("chain-node-2") + "/v1/keys", null).body()).path("verifierKeys").forEach(k -> keys.add(k.asText()));
        VerifierSet trusted = VerifierSet.parse(keys.stream().distinct().toList());
        assertEquals(2, trusted.size(), "each chain-node replica publishes its own key");
        String note = receipt.path("checkpoint").asText();
        Checkpoint cp = SignedCheckpoints.verify(note.getBytes(StandardCharsets.UTF_8), "tracemark.local/log",
                trusted, 2).checkpoint();
        long index = receipt.path("leafIndex").asLong();
        byte[][] path = new byte[receipt.path("inclusionProof").size()][];
        for (int i = 0; i < path.length; i++) {
            path[i] = Base64.getDecoder().decode(receipt.path("inclusionProof").get(i).asText());
        }
        Rfc9162Verifier.verifyInclusion(index, cp.size(), Rfc9162Hasher.leafHash(computed), path, cp.rootHash());
    }
}
