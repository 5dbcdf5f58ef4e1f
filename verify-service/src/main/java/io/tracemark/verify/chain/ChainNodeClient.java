package io.tracemark.verify.chain;

import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.ledger.LeafPosition;
import io.tracemark.contracts.ledger.LeafPositionCodec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the chain node's public API: the latest signed checkpoint, proofs, blocks, the leaf index, keys
 * and time-stamps. verify-service adds nothing to what it relays; clients re-check every proof themselves.
 */
@ApplicationScoped
public class ChainNodeClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final URI base;
    private final ObjectMapper json;

    public ChainNodeClient(@ConfigProperty(name = "tracemark.verify.chain-node-url") URI base, ObjectMapper json) {
        this.base = base;
        this.json = json;
    }

    /** An RFC 9162 inclusion proof as served by the chain node. */
    public record Inclusion(long index, long treeSize, byte[] leafHash, List<byte[]> hashes) {
    }

    /** The chain node's verification keys ({@code GET /v1/keys}). */
    public record Keys(String origin, List<String> verifierKeys, String tsaCertificate) {
    }

    /** Where the ledger holds a record digest: its leaf index and the height of the sealed block that included it. */
    public record Leaf(long index, long blockHeight) {
    }

    /** The latest multi-signed checkpoint note, verbatim. */
    public String checkpoint() {
        return new String(get("/checkpoint").orElseThrow(() -> unavailable("the ledger has no checkpoint yet")),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /** An RFC 9162 inclusion proof, empty if this replica's tree has not reached {@code size} yet. */
    public Optional<Inclusion> inclusionIfReached(long index, long size) {
        return get("/v1/proofs/inclusion?index=" + index + "&size=" + size).map(this::parse)
                .map(n -> new Inclusion(n.path("index").asLong(), n.path("treeSize").asLong(),
                        decode(n.path("leafHash").asText()), hashes(n)));
    }

    /** An RFC 9162 consistency proof between two tree sizes. */
    public List<byte[]> consistencyProof(long from, long to) {
        return hashes(readJson("/v1/proofs/consistency?from=" + from + "&to=" + to));
    }

    /** The chain node's verifier keys and TSA certificate. */
    public Keys keys() {
        JsonNode n = readJson("/v1/keys");
        List<String> keys = new ArrayList<>();
        n.path("verifierKeys").forEach(k -> keys.add(k.asText()));
        return new Keys(n.path("origin").asText(), keys, n.path("tsaCertificate").asText(null));
    }

    /**
     * The leaf of a record digest (64 hex digits) and the sealed block that included it; empty while the
     * digest is in no sealed block this replica has (404).
     */
    public Optional<Leaf> leaf(String digestHex) {
        return leaf(get(leafPath(digestHex)));
    }

    /** {@link #leaf(String)} without tying up the caller's thread, so that callers can look up several at once. */
    public CompletableFuture<Optional<Leaf>> leafAsync(String digestHex) {
        return getAsync(leafPath(digestHex)).thenApply(this::leaf);
    }

    private static String leafPath(String digestHex) {
        return "/v1/leaves?hash=" + digestHex;
    }

    private Optional<Leaf> leaf(Optional<byte[]> body) {
        if (body.isEmpty()) {
            return Optional.empty();
        }
        LeafPosition p;
        try {
            p = LeafPositionCodec.decode(body.get());
        } catch (ContractViolation e) {
            throw unavailable("unreadable leaf from the ledger: " + e.getMessage());
        }
        // A replica that does not name the block cannot show the leaf is sealed, so it is not anchored yet.
        if (p.blockHeight() == null) {
            return Optional.empty();
        }
        return Optional.of(new Leaf(p.index(), p.blockHeight()));
    }

    /** The RFC 3161 TimeStampResp (DER) over the checkpoint of {@code size}, if it was stamped. */
    public Optional<byte[]> timestamp(long size) {
        return get("/v1/timestamps/" + size);
    }

    private JsonNode readJson(String path) {
        return parse(get(path).orElseThrow(() -> unavailable("the ledger does not have " + path.replaceAll("\\?.*", ""))));
    }

    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw unavailable("unreadable answer from the ledger");
        }
    }

    private static List<byte[]> hashes(JsonNode n) {
        List<byte[]> out = new ArrayList<>();
        for (JsonNode h : n.path("hashes")) {
            out.add(decode(h.asText()));
        }
        return out;
    }

    private static byte[] decode(String b64) {
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw unavailable("unreadable hash from the ledger");
        }
    }

    /** GETs a path; empty on 404 or 422 (the ledger does not have it), a 503 problem on any other failure. */
    public Optional<byte[]> get(String path) {
        try {
            return answer(http.send(request(path), HttpResponse.BodyHandlers.ofByteArray()));
        } catch (IOException e) {
            throw unavailable("chain node unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted");
        }
    }

    /** {@link #get(String)} without blocking; the future fails with the same 503 problem. */
    private CompletableFuture<Optional<byte[]>> getAsync(String path) {
        return http.sendAsync(request(path), HttpResponse.BodyHandlers.ofByteArray()).handle((r, e) -> {
            if (e != null) {
                throw unavailable("chain node unreachable");
            }
            return answer(r);
        });
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build();
    }

    private static Optional<byte[]> answer(HttpResponse<byte[]> r) {
        if (r.statusCode() == 404 || r.statusCode() == 422) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw unavailable("chain node answered HTTP " + r.statusCode());
        }
        return Optional.of(r.body());
    }

    /** The retriable 503 problem for a ledger that cannot answer. */
    public static ProblemException unavailable(String detail) {
        return new ProblemException(Problem.of("chain-unavailable", 503, "The ledger is temporarily unavailable")
                .detail(detail).retriable(true).build());
    }
}
