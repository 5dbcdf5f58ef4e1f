package io.tracemark.verify.chain;

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

/**
 * Reads the chain node's public API: the latest signed checkpoint and proofs.
 * verify-service adds nothing to what it relays; clients re-check every proof themselves.
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

    /** The latest multi-signed checkpoint note, verbatim. */
    public String checkpoint() {
        return get("/checkpoint");
    }

    /** An RFC 9162 inclusion proof of leaf {@code index} in the tree of {@code size}. */
    public List<byte[]> inclusionProof(long index, long size) {
        return hashes(get("/v1/proofs/inclusion?index=" + index + "&size=" + size));
    }

    /** An RFC 9162 consistency proof between two tree sizes. */
    public List<byte[]> consistencyProof(long from, long to) {
        return hashes(get("/v1/proofs/consistency?from=" + from + "&to=" + to));
    }

    /** The chain node's verifier keys JSON, verbatim. */
    public String keys() {
        return get("/v1/keys");
    }

    private List<byte[]> hashes(String body) {
        try {
            JsonNode n = json.readTree(body);
            List<byte[]> out = new ArrayList<>();
            for (JsonNode h : n.path("hashes")) {
                out.add(Base64.getDecoder().decode(h.asText()));
            }
            return out;
        } catch (IOException e) {
            throw unavailable("unreadable proof from the chain node");
        }
    }

    private String get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw unavailable("chain node answered HTTP " + r.statusCode() + " for " + path.replaceAll("\\?.*", ""));
            }
            return r.body();
        } catch (IOException e) {
            throw unavailable("chain node unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted");
        }
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(Problem.of("chain-unavailable", 503, "The ledger is temporarily unavailable")
                .detail(detail).retriable(true).build());
    }
}
