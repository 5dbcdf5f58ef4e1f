package io.tracemark.localstack.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.merkle.Rfc9162Verifier;
import io.tracemark.proofs.note.VerifierSet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fetches each record's public receipt from verify-service and checks it with the proofs library
 * alone: digest of the canonical bytes, inclusion proof against the checkpoint root, and the
 * checkpoint's signatures by a threshold of the chain-node replicas' keys.
 */
public final class ReceiptChecker {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String verifyUrl;
    private final String origin;
    private final VerifierSet trusted;
    private final int threshold;

    public ReceiptChecker(String verifyUrl, String origin, VerifierSet trusted, int threshold) {
        this.verifyUrl = verifyUrl;
        this.origin = origin;
        this.trusted = trusted;
        this.threshold = threshold;
    }

    /** Result of checking many receipts: failures by record id with the reason. */
    public record Outcome(int checked, Map<String, String> failures) {
    }

    /** Checks the receipts of all records (id → expected digest hex) with a few parallel fetches. */
    public Outcome checkAll(Map<String, String> expectedDigests, int parallelism) throws InterruptedException {
        Map<String, String> failures = new ConcurrentHashMap<>();
        AtomicInteger checked = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            List<Future<?>> futures = expectedDigests.entrySet().stream().map(e -> pool.submit(() -> {
                String reason = check(e.getKey(), e.getValue());
                checked.incrementAndGet();
                if (reason != null) {
                    failures.put(e.getKey(), reason);
                }
            })).<Future<?>>map(f -> f).toList();
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException ex) {
                    throw new IllegalStateException(ex.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Outcome(checked.get(), Map.copyOf(failures));
    }

    /** Checks one receipt; null when it verifies, else a one-line reason. */
    public String check(String recordId, String expectedDigest) {
        try {
            HttpResponse<String> r = null;
            for (int attempt = 0; attempt < 20; attempt++) {
                try {
                    r = http.send(HttpRequest.newBuilder(URI.create(verifyUrl + "/v1/receipts/" + recordId))
                            .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 429 && r.statusCode() != 503) {
                        break;
                    }
                } catch (java.io.IOException e) {
                    // verify-service or a ledger replica may be restarting; a receipt is judged only when it answers.
                    r = null;
                }
                Thread.sleep(250L * (attempt + 1));
            }
            if (r == null) {
                return "verify-service unreachable";
            }
            if (r.statusCode() != 200) {
                return "receipt HTTP " + r.statusCode();
            }
            JsonNode receipt = JSON.readTree(r.body());
            byte[] canonical = receipt.path("canonical").asText().getBytes(StandardCharsets.UTF_8);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
            if (!HexFormat.of().formatHex(digest).equals(expectedDigest)) {
                return "digest of canonical bytes " + HexFormat.of().formatHex(digest) + " != registered " + expectedDigest;
            }
            Checkpoint cp = SignedCheckpoints.verify(receipt.path("checkpoint").asText().getBytes(StandardCharsets.UTF_8),
                    origin, trusted, threshold).checkpoint();
            JsonNode proof = receipt.path("inclusionProof");
            byte[][] path = new byte[proof.size()][];
            for (int i = 0; i < path.length; i++) {
                path[i] = Base64.getDecoder().decode(proof.get(i).asText());
            }
            Rfc9162Verifier.verifyInclusion(receipt.path("leafIndex").asLong(), cp.size(), Rfc9162Hasher.leafHash(digest),
                    path, cp.rootHash());
            return null;
        } catch (ProofException e) {
            return e.code() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return e.toString();
        }
    }
}
