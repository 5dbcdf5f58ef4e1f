package io.tracemark.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.cli.VerifyCli;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptCheck;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.receipt.ReceiptVerifier;
import io.tracemark.proofs.receipt.TimestampTokens;
import io.tracemark.proofs.receipt.VerificationPolicy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bouncycastle.cert.X509CertificateHolder;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walking skeleton, driven as a user would: the whole local stack (real Kafka broker,
 * MongoDB-wire server on H2, four services as processes) and nothing but HTTP and Kafka; a record
 * counts as anchored when its {@code record.anchored} event is on {@code tracemark.events}.
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

    /**
     * Waits for the record's {@code record.anchored} event on the event log and checks the receipt it
     * carries with proofs' verifier (both replicas' signatures required), then checks the receipt
     * verify-service serves for it with the proofs library alone.
     */
    private void verifyReceipt(String id, String digest) throws Exception {
        Optional<Event> anchored = Optional.empty();
        for (long deadline = System.currentTimeMillis() + 60_000; anchored.isEmpty() && System.currentTimeMillis() < deadline; ) {
            anchored = EventLog.read(stack.kafkaBootstrapServers(), "demo").find(EventTypes.RECORD_ANCHORED, id);
            if (anchored.isEmpty()) {
                Thread.sleep(500);
            }
        }
        assertTrue(anchored.isPresent(), "record " + id + " has no record.anchored event within 60 s");
        assertEquals(digest, anchored.get().data().path("digest").asText(), "digest in the record.anchored event");
        Receipt bundle = ReceiptJson.read(anchored.get().data().path("receipt").toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(id, bundle.record().id());
        assertEquals(digest, bundle.record().digest());
        List<ReceiptCheck> checks = ReceiptVerifier.verify(bundle, policy(2));
        assertEquals(Optional.empty(), ReceiptVerifier.firstFailure(checks), "receipt of the record.anchored event: " + checks);

        String served = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> r = get(url("verify-service") + "/v1/receipts/" + id, null);
            if (r.statusCode() == 200) {
                served = r.body();
                break;
            }
            Thread.sleep(250);
        }
        assertTrue(served != null, "record " + id + " was not anchored within 60 s");
        Receipt receipt = ReceiptJson.read(served.getBytes(StandardCharsets.UTF_8));
        assertEquals(bundle.tlogProof(), receipt.tlogProof(), "the served receipt is the event's, at the same checkpoint");
        assertEquals(Optional.empty(), ReceiptVerifier.firstFailure(ReceiptVerifier.verify(receipt, policy(2))));

        // The README's offline check, as written: chain-node-1's /v1/keys, --threshold 2.
        Path dir = Files.createTempDirectory("offline-check");
        Files.writeString(dir.resolve("keys.json"), get(url("chain-node-1") + "/v1/keys", null).body());
        Files.writeString(dir.resolve("receipt.json"), served);
        Files.writeString(dir.resolve("event-receipt.json"), anchored.get().data().path("receipt").toString());
        for (String file : List.of("receipt.json", "event-receipt.json")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int exit = VerifyCli.run(new String[] {"receipt", dir.resolve(file).toString(), "--keys",
                    dir.resolve("keys.json").toString(), "--threshold", "2"}, new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, exit, file + ": " + out);
        }
    }

    /** What the replicas publish at /v1/keys: every verifier key, the origin and each replica's TSA certificate. */
    private static VerificationPolicy policy(int threshold) throws Exception {
        List<String> keys = new ArrayList<>();
        List<X509CertificateHolder> tsa = new ArrayList<>();
        String origin = null;
        for (String replica : List.of("chain-node-1", "chain-node-2")) {
            JsonNode k = JSON.readTree(get(url(replica) + "/v1/keys", null).body());
            k.path("verifierKeys").forEach(v -> keys.add(v.asText()));
            origin = k.path("origin").asText(origin);
            if (k.hasNonNull("tsaCertificate")) {
                tsa.add(TimestampTokens.parseCertificatePem(k.get("tsaCertificate").asText()));
            }
        }
        return new VerificationPolicy(origin, VerifierSet.parse(keys.stream().distinct().toList()), threshold, tsa, false);
    }
}
