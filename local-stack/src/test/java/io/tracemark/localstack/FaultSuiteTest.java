package io.tracemark.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.localstack.load.LoadDriver;
import io.tracemark.localstack.load.LoadOptions;
import io.tracemark.localstack.load.LoadReport;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.merkle.Rfc9162Verifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reduced fault suite that runs in CI: while the load driver publishes records over Kafka and
 * HTTP, both chain-node replicas are stopped together for a while, then each service, a chain-node
 * replica, and the Kafka broker with the MongoDB-wire server are killed with SIGKILL and restarted in
 * turn. Afterwards nothing may be lost, duplicated or unverifiable, the checkpoint after the faults
 * must be consistent with the one before, and a real webhook receiver that refuses some requests must
 * hold every record's {@code record.accepted} and {@code record.anchored} message, each under one
 * {@code webhook-id}, signed per Standard Webhooks. Then a retry falling due while attest-service is
 * down must be made after it is back, and no key or webhook secret may be in any log of the run.
 *
 * <p>The full suite is the same test with more records and rounds: {@code ./tracemark test -pl
 * local-stack -Dtest=FaultSuiteTest -Dtracemark.faults.records=20000 -Dtracemark.faults.rounds=3}.
 * Figures go to {@code target/fault-suite-report.md}, the services' logs to {@code target/fault-suite-logs/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path REPORT = Path.of("target", "fault-suite-report.md");
    /** Compressed so that retries happen within the run; eight attempts outlast any single fault. */
    private static final String RETRY_SCHEDULE = "0s,1s,2s,5s,10s,20s,30s,60s";
    @TempDir
    static Path data;
    static LocalStack stack;
    static final PrintStream LOG = System.out;
    /** Every key and secret the run handed out, by what it is; none may reach a log. */
    static final Map<String, String> SECRETS = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        // A build snapshot elsewhere can be named, so that rebuilds in the work tree cannot swap jars mid-run.
        String repo = System.getProperty("tracemark.faults.repo", "..");
        StackOptions o = StackOptions.fromArgs(new String[]{"--repo", repo, "--data", data.toString(),
                "--kafka-port", "0", "--kafka-controller-port", "0", "--mongo-port", "0", "--verify-port", "0",
                "--ingest-port", "0", "--attest-port", "0", "--chain-node-port", "0", "--chain-replicas", "2",
                "--infra-process", "true", "--verify-rate-limit", "1000000",
                "--webhooks-allow-loopback", "true", "--webhooks-retry-schedule", RETRY_SCHEDULE, "--webhooks-timeout", "3s"});
        stack = LocalStack.start(o, LOG);
        SECRETS.put("admin key", stack.adminApiKey());
        SECRETS.put("demo API key", stack.demoApiKey());
        SECRETS.put("demo API key's secret part", secretPart(stack.demoApiKey()));
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, "# Fault suite, " + Instant.now() + "\n\n");
    }

    @AfterAll
    static void stop() throws IOException {
        if (stack != null) {
            stack.close();
            keepLogs(stack.logsDir());
        }
    }

    /** Copies the services' logs next to the report: the run's data directory is deleted with the test. */
    private static void keepLogs(Path logsDir) throws IOException {
        Path kept = REPORT.resolveSibling("fault-suite-logs");
        if (Files.isDirectory(kept)) {
            try (Stream<Path> old = Files.list(kept)) {
                for (Path p : old.toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Files.createDirectories(kept);
        try (Stream<Path> files = Files.list(logsDir)) {
            for (Path log : files.filter(Files::isRegularFile).toList()) {
                Files.copy(log, kept.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The secret part of {@code tmk_<12-char id>_<secret>} (the secret itself may contain '_'). */
    private static String secretPart(String apiKey) {
        return apiKey.substring("tmk_".length() + 13);
    }

    private static void report(String line) throws IOException {
        Files.writeString(REPORT, line + "\n", StandardOpenOption.APPEND);
    }

    private static Checkpoint checkpoint() throws Exception {
        String note = HTTP.send(HttpRequest.newBuilder(URI.create(stack.services().get("chain-node-1").url() + "/checkpoint"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        return Checkpoint.parse(note.substring(0, note.indexOf("\n\n") + 1));
    }

    /**
     * Refuses the first attempt of about one message in seven with a 500, and answers one message's first
     * attempt only after attest's 3 s timeout, so retries (and one duplicate delivery) really happen. Only
     * first attempts fail, so every message is delivered well within the retry schedule.
     */
    private static WebhookReceiver.Policy flaky() {
        AtomicBoolean slowUsed = new AtomicBoolean();
        return (id, attempt) -> {
            if (attempt == 1 && Math.floorMod(id.hashCode(), 7) == 0) {
                return new WebhookReceiver.Answer(500, -1, 0);
            }
            if (attempt == 1 && Math.floorMod(id.hashCode(), 7) == 1 && slowUsed.compareAndSet(false, true)) {
                return new WebhookReceiver.Answer(200, -1, 4_000);
            }
            return WebhookReceiver.Answer.ok();
        };
    }

    @Test
    @Order(1)
    void nothingIsLostDuplicatedOrUnverifiableAndEveryRecordIsDeliveredByWebhookWhenEveryPartFailsUnderLoad() throws Exception {
        int records = Integer.getInteger("tracemark.faults.records", 2000);
        int rounds = Integer.getInteger("tracemark.faults.rounds", 1);
        Duration outage = Duration.ofSeconds(Integer.getInteger("tracemark.faults.chain-outage-seconds", 16));
        Instant began = Instant.now();
        LoadDriver.Tenant tenant = LoadDriver.newTenant(stack);
        SECRETS.put("load tenant's API key", tenant.apiKey());
        SECRETS.put("load tenant's API key's secret part", secretPart(tenant.apiKey()));
        try (WebhookReceiver receiver = new WebhookReceiver().policy(flaky())) {
            WebhookSubscriptions.Subscription sub = new WebhookSubscriptions(stack.services().get("attest-service").url(),
                    tenant.apiKey()).create(receiver.url("/hooks/" + tenant.name()), List.of("record.accepted", "record.anchored"));
            receiver.secret(sub.secret());
            SECRETS.put("webhook secret of the load tenant", sub.secret());

            LoadOptions load = LoadOptions.fromArgs(new String[]{"--records", Integer.toString(records),
                    "--rate", "40", "--http-share", "0.2", "--timeout", "420"});
            CompletableFuture<Void> faultsDone = new CompletableFuture<>();
            CompletableFuture<LoadReport> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return LoadDriver.run(stack, load, LOG, faultsDone, tenant);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Checkpoint before = checkpoint();
            for (int i = 0; i < 120 && before.size() == 0; i++) {
                Thread.sleep(500);
                before = checkpoint();
            }
            List<ChainNodeOutage.Observed> outages = new ArrayList<>();
            List<String> timeline = new ArrayList<>();
            try {
                for (int round = 0; round < rounds; round++) {
                    timeline.add(Instant.now() + " chain-node replicas stopped");
                    outages.add(ChainNodeOutage.run(stack, tenant.name(), outage, LOG));
                    for (String service : List.of("ingest-service", "attest-service", "chain-node-1", "verify-service",
                            "chain-node-2")) {
                        timeline.add(Instant.now() + " " + service + " SIGKILL");
                        stack.killAndRestart(service);
                        Thread.sleep(1500);
                    }
                    LOG.println("  Kafka + MongoDB        killed (SIGKILL), restarting");
                    timeline.add(Instant.now() + " Kafka+MongoDB SIGKILL");
                    stack.killInfra();
                    Thread.sleep(2000);
                    stack.restartInfra();
                    Thread.sleep(2000);
                }
            } finally {
                faultsDone.complete(null);
            }
            LoadReport report = run.get();
            Set<String> anchored = report.anchoredRecordIds();
            WebhookTally accepted = awaitDeliveries(receiver, "record.accepted", anchored, Duration.ofMinutes(4));
            WebhookTally anchoredMsgs = awaitDeliveries(receiver, "record.anchored", anchored, Duration.ofMinutes(4));
            report("faults: " + rounds + " round(s) of: both chain-node replicas stopped for " + outage.toSeconds()
                    + " s; SIGKILL of ingest, attest, chain-node-1, verify, chain-node-2, Kafka+MongoDB\n");
            report("records: " + report.lost() + " lost, " + report.duplicated() + " duplicated, " + report.unverifiable()
                    + " unverifiable of " + records + "; " + report.receipts().fetchedAgain()
                    + " anchored with fewer replica signatures had every signature in verify's receipt only when fetched again\n");
            for (ChainNodeOutage.Observed o : outages) {
                report("- " + o.summary());
            }
            report("\nwebhooks (retry schedule " + RETRY_SCHEDULE + ", attempt timeout 3 s):\n");
            report("- " + accepted.summary());
            report("- " + anchoredMsgs.summary());
            report("\nduration: " + Duration.between(began, Instant.now()).toSeconds() + " s (load, faults, webhook drain)\n");
            Map<String, List<String>> doubled = StoreDiagnostics.duplicateKeys(stack.mongoConnectionString(), tenant.name());
            if (report.duplicated() > 0 || !accepted.missing().isEmpty() || !anchoredMsgs.missing().isEmpty()) {
                report("diagnostics:\n");
                report("- fault timeline: " + String.join("; ", timeline));
                report("- records stored twice under one idempotency key: " + doubled.size() + " " + doubled
                        + "; extra leaves in the log: " + report.duplicateLeaves());
                for (WebhookTally t : List.of(accepted, anchoredMsgs)) {
                    report("- undelivered " + t.type() + ": " + StoreDiagnostics.explainMissing(stack.kafkaBootstrapServers(),
                            stack.mongoConnectionString(), tenant.name(), t.type(), t.missing()));
                }
                report("");
            }

            assertEquals(0, report.lost(), "records lost");
            assertEquals(0, report.duplicated(), "records duplicated (in the store or as extra leaves)");
            assertEquals(0, report.unverifiable(), "receipts that do not verify offline: " + report.receipts().failures());
            for (ChainNodeOutage.Observed o : outages) {
                assertEquals(2, o.probeStatus() / 100, "intake refused a record while the ledger was down: " + o.summary());
                assertEquals(0, o.anchoredDuring(), "records accepted while no chain-node ran were anchored: " + o.summary());
                assertAnchored(o.probeRecordId());
            }
            assertTrue(outages.get(0).acceptedDuring() > 0, "the load should still flow during the first outage: "
                    + outages.get(0).summary());
            for (WebhookTally t : List.of(accepted, anchoredMsgs)) {
                assertEquals(0, t.missing().size(), t.type() + " never delivered for records such as "
                        + t.missing().stream().limit(10).toList() + "; " + t.summary());
                assertEquals(Map.of(), t.splitEvents(), t.type() + ": one event under two webhook-ids; " + t.summary());
                assertEquals(List.of(), t.badSignatures(), t.type() + ": signatures that do not verify");
            }
            assertTrue(accepted.refused() + anchoredMsgs.refused() > 0, "the receiver should have refused some attempts");
            assertTrue(accepted.retriedIds() + anchoredMsgs.retriedIds() > 0, "refused messages should have been retried");
            assertEquals(Set.of(), Set.copyOf(deliveredOutside(receiver.requests(), anchored)),
                    "deliveries for records that are not the load's anchored records");

            Checkpoint after = checkpoint();
            assertTrue(after.size() >= before.size());
            JsonNode proof = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(stack.services().get("chain-node-1").url()
                            + "/v1/proofs/consistency?from=" + before.size() + "&to=" + after.size())).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            byte[][] hashes = new byte[proof.path("hashes").size()][];
            for (int i = 0; i < hashes.length; i++) {
                hashes[i] = Base64.getDecoder().decode(proof.path("hashes").get(i).asText());
            }
            Rfc9162Verifier.verifyConsistency(before.size(), after.size(), before.rootHash(), after.rootHash(), hashes);
        }
    }

    /** Waits until every expected record has a 2xx delivery of {@code type}, or the timeout; returns the tally. */
    private static WebhookTally awaitDeliveries(WebhookReceiver receiver, String type, Set<String> recordIds, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastPrint = 0;
        while (!receiver.deliveredRecordIds(type).containsAll(recordIds) && System.nanoTime() < deadline) {
            if (System.nanoTime() - lastPrint > 5_000_000_000L) {
                LOG.printf("  webhooks               %s delivered for %,d of %,d records%n", type,
                        recordIds.stream().filter(receiver.deliveredRecordIds(type)::contains).count(), recordIds.size());
                lastPrint = System.nanoTime();
            }
            Thread.sleep(500);
        }
        return WebhookTally.of(receiver.requests(), type, recordIds);
    }

    private static List<String> deliveredOutside(List<WebhookReceiver.Request> requests, Set<String> recordIds) {
        return requests.stream().map(WebhookReceiver.Request::recordId).filter(id -> !recordIds.contains(id)).distinct().toList();
    }

    /**
     * The record has a {@code record.anchored} event on the event log, waiting up to a minute for the backlog
     * to drain, and chain-node-1 has its digest at the leaf index the event names.
     */
    private static void assertAnchored(String recordId) throws Exception {
        assertNotNull(recordId, "no record id from the outage probe");
        Optional<Event> anchored = Optional.empty();
        for (int i = 0; i < 60 && anchored.isEmpty(); i++) {
            anchored = EventLog.read(stack.kafkaBootstrapServers(), "demo").find(EventTypes.RECORD_ANCHORED, recordId);
            if (anchored.isEmpty()) {
                Thread.sleep(1000);
            }
        }
        assertTrue(anchored.isPresent(), "record " + recordId + " posted during the chain-node outage has no "
                + EventTypes.RECORD_ANCHORED + " event");
        JsonNode data = anchored.get().data();
        HttpResponse<String> leaf = HTTP.send(HttpRequest.newBuilder(URI.create(stack.services().get("chain-node-1").url()
                + "/v1/leaves?hash=" + data.path("digest").asText())).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, leaf.statusCode(), "chain-node-1 has no leaf for record " + recordId + ": " + leaf.body());
        assertEquals(data.path("leafIndex").asLong(), JSON.readTree(leaf.body()).path("index").asLong(),
                "leaf index of record " + recordId + " on the chain node vs its record.anchored event");
    }

    @Test
    @Order(2)
    void aWebhookRetryDueWhileAttestIsStoppedIsMadeAfterItStartsAgain() throws Exception {
        retryDueWhileAttestIsDown(false);
    }

    @Test
    @Order(3)
    void aWebhookRetryDueWhileAttestIsKilledIsMadeAfterItRestarts() throws Exception {
        retryDueWhileAttestIsDown(true);
    }

    /**
     * The receiver answers a message's first attempt with 503 and {@code Retry-After: 6}; attest is then
     * stopped (SIGTERM) or killed (SIGKILL) and kept down past the retry's due time. Once attest is back,
     * the retry must come, with the first attempt's {@code webhook-id} and a valid signature.
     */
    private void retryDueWhileAttestIsDown(boolean kill) throws Exception {
        String attest = "attest-service";
        int retryAfter = 6;
        WebhookSubscriptions api = new WebhookSubscriptions(stack.services().get(attest).url(), stack.demoApiKey());
        try (WebhookReceiver receiver = new WebhookReceiver().policy((id, attempt) ->
                attempt == 1 ? new WebhookReceiver.Answer(503, retryAfter, 0) : WebhookReceiver.Answer.ok())) {
            WebhookSubscriptions.Subscription sub = api.create(receiver.url("/hooks/restart"), List.of("record.accepted"));
            receiver.secret(sub.secret());
            SECRETS.put("webhook secret of the restart test (" + (kill ? "SIGKILL" : "SIGTERM") + ")", sub.secret());
            String recordId = postBatch("RESTART-" + UUID.randomUUID().toString().substring(0, 8));

            WebhookReceiver.Request first = await(receiver, r -> recordId.equals(r.recordId()), Duration.ofSeconds(60))
                    .orElseThrow(() -> new AssertionError("no first attempt for record " + recordId));
            assertEquals(503, first.answered());
            // attest writes attempt outcomes in bulk every 50 ms; a stop flushes them, a kill may lose this one.
            Thread.sleep(500);
            if (kill) {
                stack.kill(attest);
            } else {
                stack.stop(attest);
            }
            Instant due = first.at().plusSeconds(retryAfter);
            while (Instant.now().isBefore(due.plusSeconds(2))) {
                Thread.sleep(200);
            }
            assertEquals(1, receiver.requests().size(), "nothing can arrive while attest is down");
            Instant restarted = Instant.now();
            stack.start(attest);

            WebhookReceiver.Request retry = await(receiver, WebhookReceiver.Request::delivered, Duration.ofSeconds(60))
                    .orElseThrow(() -> new AssertionError("the retry due while attest was down never came"));
            assertTrue(!retry.at().isBefore(restarted), "delivered at " + retry.at() + ", before the restart at " + restarted);
            assertEquals(first.webhookId(), retry.webhookId(), "a retry keeps the message's webhook-id");
            assertNull(retry.signatureError(), "signature of the retry");
            assertEquals(recordId, retry.recordId());
            // attest writes an attempt's outcome in bulk (every 50 ms) after the answer arrives, so the receiver
            // can see the retry a moment before attest's log shows it; the log must catch up within seconds.
            List<Integer> logged = api.attemptStatuses(sub, first.webhookId());
            Instant logDeadline = Instant.now().plusSeconds(15);
            while ((logged.isEmpty() || logged.get(logged.size() - 1) != 200) && Instant.now().isBefore(logDeadline)) {
                Thread.sleep(200);
                logged = api.attemptStatuses(sub, first.webhookId());
            }
            report(String.format("- webhook retry due while attest was %s: first attempt %s answered 503 (Retry-After %d s);"
                            + " attest down %d s; retry made %d ms after the restart began, same webhook-id, signature valid;"
                            + " attest's attempt log: %s%n", kill ? "killed (SIGKILL)" : "stopped (SIGTERM)", first.webhookId(),
                    retryAfter, Duration.between(first.at(), restarted).toSeconds(),
                    Duration.between(restarted, retry.at()).toMillis(), logged));
            assertEquals(200, logged.get(logged.size() - 1), "attest logged the delivery: " + logged);
            if (!kill) {
                assertEquals(List.of(503, 200), logged, "a clean stop keeps the first attempt in the log");
            }
            api.delete(sub);
        }
    }

    private static Optional<WebhookReceiver.Request> await(WebhookReceiver receiver,
                                                           java.util.function.Predicate<WebhookReceiver.Request> which,
                                                           Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<WebhookReceiver.Request> hit = receiver.requests().stream().filter(which).findFirst();
            if (hit.isPresent()) {
                return hit;
            }
            Thread.sleep(100);
        }
        return Optional.empty();
    }

    /** The demo tenant registers a product batch over HTTP; returns the record id. */
    private static String postBatch(String lot) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.services().get("ingest-service").url()
                        + "/v1/products/batches")).header("Authorization", "Bearer " + stack.demoApiKey())
                .header("Content-Type", "application/json").header("Idempotency-Key", lot)
                .POST(HttpRequest.BodyPublishers.ofString("{\"gtin\":\"04006381333931\",\"lot\":\"" + lot
                        + "\",\"quantity\":5,\"unit\":\"H87\",\"productionDate\":\"2026-11-01\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(2, r.statusCode() / 100, r.body());
        return JSON.readTree(r.body()).path("id").asText();
    }

    @Test
    @Order(4)
    void noApiKeyAdminKeyOrWebhookSecretAppearsInAnyLogOfTheRun() throws Exception {
        List<Path> logs;
        try (Stream<Path> files = Files.list(stack.logsDir())) {
            logs = files.filter(Files::isRegularFile).sorted().toList();
        }
        assertTrue(logs.stream().anyMatch(p -> p.getFileName().toString().startsWith("attest-service")),
                "the service logs should be there for this check to mean anything: " + logs);
        List<String> found = new ArrayList<>();
        long bytes = 0;
        for (Path log : logs) {
            String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            bytes += text.length();
            SECRETS.forEach((what, value) -> {
                if (text.contains(value)) {
                    found.add(what + " in " + log.getFileName());
                }
            });
        }
        report(String.format("- secrets in logs: %d secrets (%s) searched in %d files (%,d characters): %s%n", SECRETS.size(),
                String.join(", ", SECRETS.keySet()), logs.size(), bytes, found.isEmpty() ? "none found" : found));
        assertEquals(List.of(), found);
    }
}
