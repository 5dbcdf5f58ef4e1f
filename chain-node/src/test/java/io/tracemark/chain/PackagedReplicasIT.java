package io.tracemark.chain;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteKeys;
import io.tracemark.proofs.note.NoteVerifier;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.tlogproof.TlogProofVerifier;
import io.tracemark.infra.Ports;
import io.tracemark.testsupport.SharedInfra;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas started the way they are deployed, from the packaged
 * {@code target/quarkus-app/quarkus-run.jar}, cosign the same checkpoints (runs in the Maven
 * integration-test phase, after packaging).
 */
class PackagedReplicasIT {
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> replicas = new ArrayList<>();

    @AfterEach
    void stopReplicas() throws InterruptedException {
        for (Process p : replicas) {
            p.destroy();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void packagedReplicasServeIdenticalCheckpointsCarryingBothSignatures() throws Exception {
        ChainTestInfra.Topics topics = ChainTestInfra.createTopics();
        Map<String, Integer> ports = Ports.resolveAll(new TreeMap<>(Map.of("chain-node-1", 0, "chain-node-2", 0)));
        int port1 = ports.get("chain-node-1");
        int port2 = ports.get("chain-node-2");
        start(topics, port1, "tracemark.local/chain-node-1");
        start(topics, port2, "tracemark.local/chain-node-2");
        await().atMost(Duration.ofSeconds(120)).until(() -> status(port1, "/q/health/ready") == 200
                && status(port2, "/q/health/ready") == 200);
        NoteVerifier key1 = ownKey(port1);
        NoteVerifier key2 = ownKey(port2);
        VerifierSet both = VerifierSet.of(key1, key2);

        List<byte[]> digests;
        try (LeafProducer producer = new LeafProducer(SharedInfra.kafkaBootstrap(), topics.leaves())) {
            for (int i = 0; i < 4; i++) {
                producer.sendBatch(700 + i);
                Thread.sleep(150);
            }
            digests = producer.digests();
        }
        long total = digests.size();
        await().atMost(Duration.ofSeconds(60)).until(() -> cosigned(port1, both, total) && cosigned(port2, both, total));

        Note note1 = Note.parse(get(port1, "/checkpoint").body());
        Note note2 = Note.parse(get(port2, "/checkpoint").body());
        assertEquals(note1.text(), note2.text(), "byte-identical checkpoint bodies");
        byte[] proof = get(port2, "/v1/proofs/tlog-proof?index=" + (total - 1)).body();
        assertEquals(total - 1, TlogProofVerifier.verifyLeafData(proof, digests.get((int) total - 1),
                ChainNodeApi.ORIGIN, both, 2).index());
    }

    private void start(ChainTestInfra.Topics topics, int port, String keyName) throws Exception {
        Path dir = ChainTestInfra.tempDir("packaged-replica-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        replicas.add(new ProcessBuilder(java, "-Xmx256m", "-Dquarkus.http.port=" + port,
                "-Dkafka.bootstrap.servers=" + SharedInfra.kafkaBootstrap(),
                "-Dtracemark.topics.chain-leaves=" + topics.leaves(),
                "-Dtracemark.topics.chain-blocks=" + topics.blocks(),
                "-Dtracemark.topics.chain-signatures=" + topics.signatures(),
                "-Dtracemark.chain.data-dir=" + dir, "-Dtracemark.chain.key-name=" + keyName,
                "-Dtracemark.chain.block-interval=100ms", "-jar", JAR.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(new File(dir.toFile(), "replica.log")).start());
    }

    private boolean cosigned(int port, VerifierSet both, long total) throws Exception {
        HttpResponse<byte[]> r = get(port, "/checkpoint");
        if (r.statusCode() != 200) {
            return false;
        }
        try {
            Checkpoint cp = SignedCheckpoints.verify(r.body(), ChainNodeApi.ORIGIN, both, 2).checkpoint();
            return cp.size() == total;
        } catch (io.tracemark.proofs.ProofException notYet) {
            return false;
        }
    }

    private NoteVerifier ownKey(int port) throws Exception {
        Matcher m = Pattern.compile("\"verifierKeys\":\\[\"([^\"]+)\"").matcher(new String(get(port, "/v1/keys").body(),
                java.nio.charset.StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new AssertionError("no verifier key served on port " + port);
        }
        return NoteKeys.parseVerifierKey(m.group(1));
    }

    private int status(int port, String path) {
        try {
            return get(port, path).statusCode();
        } catch (Exception notListeningYet) {
            return -1;
        }
    }

    private HttpResponse<byte[]> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
