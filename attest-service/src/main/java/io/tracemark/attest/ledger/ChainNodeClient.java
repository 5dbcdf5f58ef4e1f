package io.tracemark.attest.ledger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.Guard;
import io.tracemark.contracts.ledger.AuthorityTimestamps;
import io.tracemark.contracts.ledger.AuthorityTimestampsCodec;
import io.tracemark.contracts.ledger.InclusionProof;
import io.tracemark.contracts.ledger.InclusionProofCodec;
import io.tracemark.contracts.ledger.LeafPosition;
import io.tracemark.contracts.ledger.LeafPositionCodec;
import io.tracemark.contracts.ledger.LedgerKeys;
import io.tracemark.contracts.ledger.LedgerKeysCodec;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.receipt.WitnessEvidence;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The chain-node read API attest needs for receipts (hash tiles and inclusion proofs, RFC 3161 tokens, witness
 * evidence, leaf positions, the replicas' verifier keys and TSA certificate), through one typed REST client per
 * replica ({@link ChainNodeApi}, {@code tracemark.attest.chain-node-url}, comma-separated). Every replica builds
 * the same tree byte for byte, so any may answer: the one that answered last is asked first, a replica that
 * fails is skipped for the next, and one failing repeatedly is not asked for {@code replica-pause} (a circuit
 * breaker per replica). When no replica answers, the whole call is retried twice ({@link Retry}), then
 * {@link Unavailable} is thrown for the pipeline step to back off.
 */
@ApplicationScoped
@Retry(maxRetries = 2, delay = 250, jitter = 100, retryOn = ChainNodeClient.Unavailable.class)
public class ChainNodeClient {
    private static final Logger LOG = Logger.getLogger(ChainNodeClient.class);
    /** The receipt format's mapper: the evidence is embedded in receipts as is. */
    private static final com.fasterxml.jackson.databind.ObjectMapper RECEIPT_JSON = ReceiptJson.mapper();
    private static final String TILE = "tile/";

    private final List<URI> urls;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration replicaPause;
    private final MeterRegistry meters;
    private volatile List<Replica> replicas;
    private volatile int preferred;
    private volatile String tsaCertificate;

    public ChainNodeClient(@ConfigProperty(name = "tracemark.attest.chain-node-url") List<URI> urls,
                           @ConfigProperty(name = "tracemark.attest.chain.connect-timeout", defaultValue = "5s") Duration connectTimeout,
                           @ConfigProperty(name = "tracemark.attest.chain.read-timeout", defaultValue = "10s") Duration readTimeout,
                           @ConfigProperty(name = "tracemark.attest.chain.replica-pause", defaultValue = "5s") Duration replicaPause,
                           MeterRegistry meters) {
        this.urls = List.copyOf(urls);
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.replicaPause = replicaPause;
        this.meters = meters;
    }

    /** No replica answered (each failed, timed out or is paused by its circuit breaker). */
    public static final class Unavailable extends IllegalStateException {
        Unavailable(String what, Throwable last) {
            super("no chain-node replica answered " + what + (last == null ? "" : ": " + last.getMessage()), last);
        }
    }

    /**
     * What {@code GET /v1/checkpoints/witnessed?from=<size>} answered.
     *
     * @param evidence        the witnessed checkpoint and the proof from {@code size}, or why there is none
     * @param logHasWitnesses false when the log submits to no witness (or serves no witness evidence at all)
     */
    public record Witnessed(WitnessEvidence evidence, boolean logHasWitnesses) {
    }

    /** The RFC 9162 audit path of leaf {@code index} in the tree of {@code size} leaves. */
    public List<byte[]> inclusion(long index, long size) {
        InclusionProof p = find("inclusion proof " + index + "@" + size, api -> api.inclusion(index, size))
                .map(InclusionProofCodec::decode)
                .orElseThrow(() -> new IllegalStateException("chain-node has no inclusion proof for " + index + "@" + size));
        List<byte[]> out = new ArrayList<>(p.hashes().size());
        p.hashes().forEach(h -> out.add(Base64.getDecoder().decode(h)));
        return out;
    }

    /**
     * The bytes of a C2SP tlog-tiles hash tile ({@code tile/<L>/<N>[.p/<W>]}), or empty if the node does not serve
     * it (yet). Untrusted: {@link io.tracemark.proofs.tiles.TileHashReader} authenticates them.
     */
    public Optional<byte[]> tile(String path) {
        if (!path.startsWith(TILE)) {
            throw new IllegalArgumentException("not a tile path: " + path);
        }
        String rest = path.substring(TILE.length());
        return find(path, api -> api.tile(rest));
    }

    /** The time-stamp (response DER) of the checkpoint of {@code size}, if it has been issued. */
    public Optional<byte[]> timestamp(long size) {
        return find("time-stamp " + size, api -> api.timestamp(size));
    }

    /**
     * The external authorities' tokens over the checkpoint of {@code size} and the authorities without one, or
     * empty when the chain node has none to say (not sealed there yet, or a node without external authorities).
     */
    public Optional<AuthorityTimestamps> authorities(long size) {
        return find("authorities' time-stamps " + size, api -> api.authorities(size)).map(AuthorityTimestampsCodec::decode);
    }

    /** Witness evidence for the checkpoint of {@code size}: a witnessed checkpoint extending it, if one exists yet. */
    public Witnessed witnessed(long size) {
        byte[] body;
        try {
            body = ask("witness evidence " + size, api -> api.witnessed(size));
        } catch (ReplicaAnswer.NotThere e) {
            // A log without witnesses, or one too old to serve evidence, answers 404 with another problem type.
            boolean notYet = e.type().filter(t -> t.endsWith("/not-witnessed-yet")).isPresent();
            return new Witnessed(WitnessEvidence.unwitnessed(notYet
                    ? "no witness had cosigned a checkpoint of size " + size + " or more when this receipt was made"
                    : "the log has no witnesses"), notYet);
        }
        WitnessEvidence e;
        try {
            e = RECEIPT_JSON.readValue(body, WitnessEvidence.class);
        } catch (IOException ex) {
            throw new IllegalStateException("chain-node witness evidence from " + size + " is not valid JSON", ex);
        }
        if (!e.isWitnessed()) {
            throw new IllegalStateException("chain-node witness evidence from " + size + " has no checkpoint");
        }
        return new Witnessed(e, true);
    }

    /** Where the ledger holds the leaf of a record digest (hex), or empty while no sealed block holds it. */
    public Optional<LeafPosition> leaf(String digestHex) {
        return find("leaf " + digestHex, api -> api.leaf(digestHex)).map(LeafPositionCodec::decode);
    }

    /** The note verifier keys the log publishes at {@code /v1/keys}: one per cosigning replica. */
    public List<String> verifierKeys() {
        return find("keys", ChainNodeApi::keys).map(LedgerKeysCodec::decode).map(LedgerKeys::verifierKeys).orElse(List.of());
    }

    /** The TSA certificate (PEM) from {@code /v1/keys}, cached once known. */
    public Optional<String> tsaCertificate() {
        if (tsaCertificate == null) {
            find("keys", ChainNodeApi::keys).map(LedgerKeysCodec::decode).map(LedgerKeys::tsaCertificate).ifPresent(c -> tsaCertificate = c);
        }
        return Optional.ofNullable(tsaCertificate);
    }

    /** {@link #ask}, with "the replica does not have it" as empty. */
    private <T> Optional<T> find(String what, Function<ChainNodeApi, T> request) {
        try {
            return Optional.of(ask(what, request));
        } catch (ReplicaAnswer.NotThere e) {
            return Optional.empty();
        }
    }

    /**
     * Asks the replicas in turn, starting with the one that answered last: the answer of the first that gives one
     * (a {@link ReplicaAnswer.NotThere} is an answer too), the next replica on a failure, and {@link Unavailable}
     * when none answers.
     */
    private <T> T ask(String what, Function<ChainNodeApi, T> request) {
        List<Replica> rs = replicas();
        int start = preferred;
        RuntimeException last = null;
        for (int i = 0; i < rs.size(); i++) {
            int at = (start + i) % rs.size();
            Replica r = rs.get(at);
            try {
                T answer = r.call(() -> request.apply(r.api()));
                preferred = at;
                return answer;
            } catch (RuntimeException e) {
                ReplicaAnswer.NotThere notThere = notThere(e);
                if (notThere != null) {
                    preferred = at;
                    throw notThere;
                }
                last = e;
                r.failovers().increment();
                LOG.debugf("chain node %s failed on %s (%s); asking the next replica", r.url(), what, e.toString());
            }
        }
        throw new Unavailable(what, last);
    }

    /** The {@link ReplicaAnswer.NotThere} a failed call was, however the REST client wrapped it, or null. */
    private static ReplicaAnswer.NotThere notThere(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ReplicaAnswer.NotThere n) {
                return n;
            }
        }
        return null;
    }

    /** The replicas' clients, built on first use (the REST client runtime is up by then). */
    private List<Replica> replicas() {
        List<Replica> r = replicas;
        if (r == null) {
            synchronized (this) {
                if (replicas == null) {
                    List<Replica> built = new ArrayList<>();
                    for (URI url : urls) {
                        built.add(replica(url));
                    }
                    replicas = List.copyOf(built);
                }
                r = replicas;
            }
        }
        return r;
    }

    private Replica replica(URI url) {
        ChainNodeApi api = QuarkusRestClientBuilder.newBuilder().baseUri(url)
                .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .build(ChainNodeApi.class);
        // Open after half of the last 8 calls failed (a "not there" is an answer, not a failure); one probe after the pause.
        Guard breaker = Guard.create().withDescription("chain node " + url)
                .withCircuitBreaker().requestVolumeThreshold(8).failureRatio(0.5)
                .delay(replicaPause.toMillis(), ChronoUnit.MILLIS).successThreshold(1)
                .when(e -> notThere(e) == null).done()
                .build();
        Counter failovers = Counter.builder("tracemark.attest.chain.replica.failures")
                .description("chain-node calls a replica failed (error, timeout or paused by its circuit breaker), so the next was asked")
                .tag("replica", url.toString()).register(meters);
        return new Replica(url, api, breaker, failovers);
    }

    private record Replica(URI url, ChainNodeApi api, Guard breaker, Counter failovers) {
        @SuppressWarnings("unchecked")
        <T> T call(Supplier<T> request) {
            return (T) breaker.get((Supplier<Object>) (Supplier<?>) request, Object.class);
        }
    }

    @PreDestroy
    void close() {
        List<Replica> built = replicas;
        for (Replica r : built == null ? List.<Replica>of() : built) {
            try {
                r.api().close();
            } catch (Exception e) {
                LOG.debugf("closing the client of %s: %s", r.url(), e.toString());
            }
        }
    }
}
