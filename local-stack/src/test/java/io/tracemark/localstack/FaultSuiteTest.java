package io.tracemark.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.localstack.load.LoadDriver;
import io.tracemark.localstack.load.LoadOptions;
import io.tracemark.localstack.load.LoadReport;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.merkle.Rfc9162Verifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reduced fault suite that runs in CI: while the load driver publishes records over Kafka and
 * HTTP, each service, a chain-node replica, and the Kafka broker with the MongoDB-wire server are
 * killed with SIGKILL and restarted in turn. Afterwards nothing may be lost, duplicated or
 * unverifiable, and the checkpoint after the faults must be consistent with the one before.
 *
 * <p>The full suite is the same test with more records and rounds: {@code ./tracemark test -pl
 * local-stack -Dtest=FaultSuiteTest -Dtracemark.faults.records=20000 -Dtracemark.faults.rounds=3}.
 */
class FaultSuiteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    static Path data;
    static LocalStack stack;
    static final PrintStream LOG = System.out;

    @BeforeAll
    static void start() throws Exception {
        StackOptions o = StackOptions.fromArgs(new String[]{"--repo", "..", "--data", data.toString(),
                "--kafka-port", "0", "--kafka-controller-port", "0", "--mongo-port", "0", "--verify-port", "0",
                "--ingest-port", "0", "--attest-port", "0", "--chain-node-port", "0", "--chain-replicas", "2",
                "--infra-process", "true", "--verify-rate-limit", "1000000"});
        stack = LocalStack.start(o, LOG);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static Checkpoint checkpoint() throws Exception {
        String note = HTTP.send(HttpRequest.newBuilder(URI.create(stack.services().get("chain-node-1").url() + "/checkpoint"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        return Checkpoint.parse(note.substring(0, note.indexOf("\n\n") + 1));
    }

    @Test
    void nothingIsLostDuplicatedOrUnverifiableWhenEveryPartIsKilledUnderLoad() throws Exception {
        int records = Integer.getInteger("tracemark.faults.records", 2000);
        int rounds = Integer.getInteger("tracemark.faults.rounds", 1);
        LoadOptions load = LoadOptions.fromArgs(new String[]{"--records", Integer.toString(records),
                "--rate", "40", "--http-share", "0.2", "--timeout", "420"});
        CompletableFuture<Void> faultsDone = new CompletableFuture<>();
        CompletableFuture<LoadReport> run = CompletableFuture.supplyAsync(() -> {
            try {
                return LoadDriver.run(stack, load, LOG, faultsDone);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Checkpoint before = checkpoint();
        for (int i = 0; i < 120 && before.size() == 0; i++) {
            Thread.sleep(500);
            before = checkpoint();
        }
        try {
            for (int round = 0; round < rounds; round++) {
                for (String service : List.of("ingest-service", "attest-service", "chain-node-1", "verify-service",
                        "chain-node-2")) {
                    stack.killAndRestart(service);
                    Thread.sleep(1500);
                }
                LOG.println("  Kafka + MongoDB        killed (SIGKILL), restarting");
                stack.killInfra();
                Thread.sleep(2000);
                stack.restartInfra();
                Thread.sleep(2000);
            }
        } finally {
            faultsDone.complete(null);
        }
        LoadReport report = run.get();
        Files.writeString(Path.of("target", "fault-suite-report.md"),
                "faults: " + rounds + " round(s) of SIGKILL of ingest, attest, chain-node-1, verify, chain-node-2, Kafka+MongoDB\n"
                        + report.lost() + " lost, " + report.duplicated() + " duplicated, " + report.unverifiable()
                        + " unverifiable of " + records + "\n");
        assertEquals(0, report.lost(), "records lost");
        assertEquals(0, report.duplicated(), "records duplicated (in the store or as extra leaves)");
        assertEquals(0, report.unverifiable(), "receipts that do not verify offline: " + report.receipts().failures());

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
