package io.tracemark.attest.ledger;

import io.tracemark.contracts.ledger.AuthorityTimestamps;
import io.tracemark.contracts.ledger.AuthorityTimestampsCodec;
import io.tracemark.contracts.ledger.LeafPosition;
import io.tracemark.contracts.ledger.LeafPositionCodec;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.receipt.WitnessEvidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

/**
 * The chain-node read API attest needs for receipts: hash tiles and inclusion proofs, RFC 3161 tokens (the
 * replica's own and the external authorities'),
 * the replicas' verifier keys and the TSA certificate ({@code tracemark.attest.chain-node-url}).
 */
@ApplicationScoped
public class ChainNodeClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    /** The receipt format's mapper: the evidence is embedded in receipts as is. */
    private static final ObjectMapper RECEIPT_JSON = ReceiptJson.mapper();
    private volatile String tsaCertificate;
    @Inject
    ObjectMapper json;

    public ChainNodeClient(@ConfigProperty(name = "tracemark.attest.chain-node-url") String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** The RFC 9162 audit path of leaf {@code index} in the tree of {@code size} leaves. */
    public List<byte[]> inclusion(long index, long size) {
        JsonNode n = getJson("/v1/proofs/inclusion?index=" + index + "&size=" + size)
                .orElseThrow(() -> new IllegalStateException("chain-node has no inclusion proof for " + index + "@" + size));
        List<byte[]> out = new ArrayList<>();
        n.path("hashes").forEach(h -> out.add(Base64.getDecoder().decode(h.asText())));
        return out;
    }

    /**
     * The bytes of a C2SP tlog-tiles hash tile ({@code GET /tile/<L>/<N>[.p/<W>]}), or empty if the node
     * does not serve it (yet). Untrusted: {@link io.tracemark.proofs.tiles.TileHashReader} authenticates them.
     */
    public Optional<byte[]> tile(String path) {
        HttpResponse<byte[]> r = send("/" + path, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        check(r.statusCode(), "/" + path);
        return Optional.of(r.body());
    }

    /** The time-stamp (response or token DER) of the checkpoint of {@code size}, if it has been issued. */
    public Optional<byte[]> timestamp(long size) {
        HttpResponse<byte[]> r = send("/v1/timestamps/" + size, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        check(r.statusCode(), "/v1/timestamps/" + size);
        return Optional.of(r.body());
    }

    /**
     * The external authorities' tokens over the checkpoint of {@code size} and the authorities without one, or
     * empty when the chain node has none to say (not sealed there yet, or a node without external authorities).
     */
    public Optional<AuthorityTimestamps> authorities(long size) {
        String path = "/v1/timestamps/" + size + "/authorities";
        HttpResponse<byte[]> r = send(path, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        check(r.statusCode(), path);
        return Optional.of(AuthorityTimestampsCodec.decode(r.body()));
    }

    /**
     * What {@code GET /v1/checkpoints/witnessed?from=<size>} answered.
     *
     * @param evidence         the witnessed checkpoint and the proof from {@code size}, or why there is none
     * @param logHasWitnesses  false when the log submits to no witness (or serves no witness evidence at all)
     */
    public record Witnessed(WitnessEvidence evidence, boolean logHasWitnesses) {
    }

    /** Witness evidence for the checkpoint of {@code size}: a witnessed checkpoint extending it, if one exists yet. */
    public Witnessed witnessed(long size) {
        String path = "/v1/checkpoints/witnessed?from=" + size;
        HttpResponse<String> r = send(path, HttpResponse.BodyHandlers.ofString());
        try {
            if (r.statusCode() == 404) {
                // A log without witnesses, or one too old to serve evidence, answers 404 with another type.
                boolean notYet = json.readTree(r.body()).path("type").asText("").endsWith("/not-witnessed-yet");
                return new Witnessed(WitnessEvidence.unwitnessed(notYet
                        ? "no witness had cosigned a checkpoint of size " + size + " or more when this receipt was made"
                        : "the log has no witnesses"), notYet);
            }
            check(r.statusCode(), path);
            WitnessEvidence e = RECEIPT_JSON.readValue(r.body(), WitnessEvidence.class);
            if (!e.isWitnessed()) {
                throw new IllegalStateException("chain-node " + path + " returned evidence without a checkpoint");
            }
            return new Witnessed(e, true);
        } catch (IOException e) {
            if (r.statusCode() == 404) {
                return new Witnessed(WitnessEvidence.unwitnessed("the log has no witnesses"), false);
            }
            throw new IllegalStateException("chain-node " + path + " returned invalid JSON", e);
        }
    }

    /** Where the ledger holds the leaf of a record digest (hex), or empty while no sealed block holds it. */
    public Optional<LeafPosition> leaf(String digestHex) {
        return getJson("/v1/leaves?hash=" + digestHex)
                .map(n -> LeafPositionCodec.decode(n.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The note verifier keys the log publishes at {@code /v1/keys}: one per cosigning replica. */
    public List<String> verifierKeys() {
        List<String> out = new ArrayList<>();
        getJson("/v1/keys").ifPresent(n -> n.path("verifierKeys").forEach(k -> out.add(k.asText())));
        return out;
    }

    /** The TSA certificate (PEM) from {@code /v1/keys}, cached once known. */
    public Optional<String> tsaCertificate() {
        if (tsaCertificate == null) {
            getJson("/v1/keys").map(n -> n.path("tsaCertificate").asText(null)).ifPresent(c -> tsaCertificate = c);
        }
        return Optional.ofNullable(tsaCertificate);
    }

    private Optional<JsonNode> getJson(String path) {
        HttpResponse<String> r = send(path, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        check(r.statusCode(), path);
        try {
            return Optional.of(json.readTree(r.body()));
        } catch (IOException e) {
            throw new IllegalStateException("chain-node " + path + " returned invalid JSON", e);
        }
    }

    private <T> HttpResponse<T> send(String path, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                    handler);
        } catch (IOException e) {
            throw new IllegalStateException("chain-node " + path + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted calling chain-node", e);
        }
    }

    private static void check(int status, String path) {
        if (status / 100 != 2) {
            throw new IllegalStateException("chain-node " + path + " answered " + status);
        }
    }
}
