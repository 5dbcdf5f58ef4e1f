package io.tracemark.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.contracts.ledger.LedgerKeysCodec;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.cosignature.WitnessCosignature;
import io.tracemark.proofs.cosignature.WitnessPolicy;
import io.tracemark.proofs.cosignature.WitnessedCheckpoint;
import io.tracemark.proofs.cosignature.WitnessedCheckpoints;
import io.tracemark.proofs.note.NoteKeys;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.witness.AddCheckpointRequest;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local stack's witnesses seen from outside, as a monitor of the log would see them: served checkpoints and
 * their cosignature lines, blocks, the chain nodes' metrics and readiness, and the witnesses' own HTTP API.
 */
final class StackWitnessChecks {
    static final List<String> REPLICAS = List.of("chain-node-1", "chain-node-2");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final LocalStack stack;
    private final Path dataDir;
    private VerifierSet logKeys;

    StackWitnessChecks(LocalStack stack, Path dataDir) {
        this.stack = stack;
        this.dataDir = dataDir;
    }

    /** A checkpoint as one replica served it (verbatim and verified), and when this test first saw it. */
    record Served(String replica, String note, WitnessedCheckpoint checkpoint, long seenAtMillis) {
        long size() {
            return checkpoint.checkpoint().checkpoint().size();
        }

        /** Whether the note carries a signature line of {@code name}, whether or not the policy asked for it. */
        boolean hasLineOf(String name) {
            return note.contains("\n\u2014 " + name + " ");
        }

        /** The cosignature of the witness named {@code name}, if the checkpoint carries it. */
        Optional<WitnessCosignature> by(String name) {
            return checkpoint.cosignatures().stream().filter(c -> c.witness().name().equals(name)).findFirst();
        }
    }

    String url(String service) {
        return stack.services().get(service).url();
    }

    HttpResponse<String> get(String uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String uri, byte[] body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The witnesses' cosigner names, by the service that runs each. */
    String witnessName(String service) {
        String vkey = stack.witnessKeys().get(service);
        return vkey.substring(0, vkey.indexOf('+'));
    }

    /** k-of-n policy over the witnesses run by {@code services}. */
    WitnessPolicy policy(String... services) {
        List<String> keys = new ArrayList<>();
        for (String s : services) {
            keys.add(stack.witnessKeys().get(s));
        }
        return WitnessPolicy.parse(keys, keys.size());
    }

    /** Every replica's note verifier key, as chain-node-1 publishes them at {@code /v1/keys} (read once). */
    VerifierSet logKeys() throws IOException, InterruptedException {
        if (logKeys == null) {
            List<String> keys = new ArrayList<>();
            keys.addAll(LedgerKeysCodec.decode(get(url("chain-node-1") + "/v1/keys").body().getBytes(StandardCharsets.UTF_8))
                    .verifierKeys());
            logKeys = VerifierSet.parse(keys);
        }
        return logKeys;
    }

    /** The replica's {@code /checkpoint}, signed by a replica, when it carries cosignatures under {@code policy}. */
    Optional<Served> served(String replica, WitnessPolicy policy) throws IOException, InterruptedException {
        String text = get(url(replica) + "/checkpoint").body();
        byte[] note = text.getBytes(StandardCharsets.UTF_8);
        long seen = System.currentTimeMillis();
        try {
            return Optional.of(new Served(replica, text, WitnessedCheckpoints.verify(note, StackWitnesses.ORIGIN, logKeys(),
                    1, policy, Instant.now()), seen));
        } catch (ProofException e) {
            return Optional.empty();
        }
    }

    /**
     * Polls the replica's {@code /checkpoint} until it is larger than {@code aboveSize} and carries cosignatures
     * under {@code policy}; fails after {@code timeout}.
     */
    Served awaitServed(String replica, long aboveSize, WitnessPolicy policy, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Served> s = served(replica, policy);
            if (s.isPresent() && s.get().size() > aboveSize) {
                return s.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError(replica + " served no checkpoint above size " + aboveSize + " cosigned by "
                + policy.witnesses().stream().map(w -> w.name()).toList() + " within " + timeout.toSeconds() + " s; last: "
                + get(url(replica) + "/checkpoint").body());
    }

    /** The latest block's header as the replica serves it ({@code treeSize}, {@code timeMillis}, …). */
    JsonNode latestBlock(String replica) throws IOException, InterruptedException {
        HttpResponse<String> r = get(url(replica) + "/v1/blocks/latest");
        return r.statusCode() == 200 ? JSON.readTree(r.body()).path("header") : JSON.createObjectNode().put("treeSize", 0);
    }

    /** The tree size of the latest sealed block. */
    long treeSize() throws IOException, InterruptedException {
        return latestBlock("chain-node-1").path("treeSize").asLong();
    }

    /** Registers one batch over ingest's HTTP API (one new leaf); returns its record id. */
    String registerBatch() throws IOException, InterruptedException {
        String body = "{\"gtin\":\"4006381333931\",\"lot\":\"W-" + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"quantity\":1,\"unit\":\"H87\"}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("ingest-service") + "/v1/products/batches"))
                .header("Authorization", "Bearer " + stack.demoApiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new AssertionError("batch not registered: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).path("id").asText();
    }

    /** The replica's {@code tracemark_chain_witness_split_views_total} for the witness named {@code witness}. */
    double splitViews(String replica, String witness) throws IOException, InterruptedException {
        String text = get(url(replica) + "/q/metrics").body();
        Matcher m = Pattern.compile("^tracemark_chain_witness_split_views_total\\{(?:[^}]*,)?"
                + Pattern.quote("witness=\"" + witness + "\"") + "[^}]*} (\\S+)$", Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** The replica's readiness check {@code chain-witnesses}. */
    JsonNode witnessReadiness(String replica) throws IOException, InterruptedException {
        for (JsonNode c : JSON.readTree(get(url(replica) + "/q/health/ready").body()).path("checks")) {
            if (c.path("name").asText().equals("chain-witnesses")) {
                return c;
            }
        }
        throw new AssertionError(replica + " has no chain-witnesses readiness check");
    }

    /**
     * A standalone witness with the stack witness's own key over a state dir of its own, holding a checkpoint of
     * this log at size 1 signed with chain-node-1's real note key but over another root: a history the log never
     * had. The fork is cosigned on a port no replica knows, so that no replica's real checkpoint can reach the
     * fresh state first; {@code port} then serves it.
     */
    ServiceProcess startForkedWitness(int port) throws Exception {
        Path forked = dataDir.resolve("witness-forked");
        Files.createDirectories(forked);
        Files.copy(dataDir.resolve(StackWitnesses.STANDALONE).resolve("cosigner.key"), forked.resolve("cosigner.key"));
        StackWitnesses keys = StackWitnesses.prepare(dataDir, REPLICAS.size());
        ServiceProcess hidden = launchWitness("witness-forking", keys, forked, freePort());
        try {
            byte[] otherRoot = new byte[32];
            new SecureRandom().nextBytes(otherRoot);
            byte[] fork = SignedCheckpoints.sign(new Checkpoint(StackWitnesses.ORIGIN, 1, otherRoot), NoteKeys.parseSignerKey(
                    Files.readString(StackWitnesses.replicaDir(dataDir, 1).resolve("keys/note-signer.key")).trim()));
            HttpResponse<String> cosigned = post(hidden.url() + "/add-checkpoint",
                    new AddCheckpointRequest(0, List.of(), fork).encode());
            if (cosigned.statusCode() != 200) {
                throw new AssertionError("the fresh witness did not cosign the fork: " + cosigned.statusCode() + " " + cosigned.body());
            }
        } finally {
            hidden.close();
        }
        return launchWitness("witness-forked", keys, forked, port);
    }

    /**
     * What the witness at {@code witnessUrl} answers to chain-node-1's latest checkpoint, submitted as extending
     * tree size {@code oldSize} with the log's own consistency proof.
     */
    HttpResponse<String> submitLatest(String witnessUrl, long oldSize) throws IOException, InterruptedException {
        byte[] note = get(url("chain-node-1") + "/checkpoint").body().getBytes(StandardCharsets.UTF_8);
        String text = new String(note, StandardCharsets.UTF_8);
        long size = Checkpoint.parse(text.substring(0, text.indexOf("\n\n") + 1)).size();
        List<byte[]> proof = new ArrayList<>();
        JSON.readTree(get(url("chain-node-1") + "/v1/proofs/consistency?from=" + oldSize + "&to=" + size).body())
                .path("hashes").forEach(h -> proof.add(Base64.getDecoder().decode(h.asText())));
        return post(witnessUrl + "/add-checkpoint", new AddCheckpointRequest(oldSize, proof, note).encode());
    }

    private ServiceProcess launchWitness(String name, StackWitnesses keys, Path dir, int port) throws Exception {
        java.util.Map<String, String> env = new java.util.HashMap<>(keys.standaloneEnv(port));
        env.put("TRACEMARK_WITNESS_DATA_DIR", dir.toString());
        ServiceProcess p = ServiceProcess.launchMain(name, Path.of(".."), "chain-node", StackWitnesses.STANDALONE_MAIN,
                port, env, "-Xmx64m -XX:+UseSerialGC", stack.logsDir());
        for (long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); !p.ready(); Thread.sleep(100)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.close();
                throw new AssertionError(name + " did not start; see " + p.log());
            }
        }
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
