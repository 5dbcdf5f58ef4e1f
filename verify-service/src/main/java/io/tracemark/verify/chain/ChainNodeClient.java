package io.tracemark.verify.chain;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.ledger.AuthorityTimestamps;
import io.tracemark.contracts.ledger.AuthorityTimestampsCodec;
import io.tracemark.contracts.ledger.ConsistencyProofCodec;
import io.tracemark.contracts.ledger.InclusionProofCodec;
import io.tracemark.contracts.ledger.LeafAbsenceCodec;
import io.tracemark.contracts.ledger.LedgerKeys;
import io.tracemark.contracts.ledger.LedgerKeysCodec;
import io.tracemark.contracts.ledger.LeafPosition;
import io.tracemark.contracts.ledger.LeafPositionCodec;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.receipt.WitnessEvidence;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Reads the chain node's public API (latest signed checkpoint, proofs, leaf index, keys, time-stamps)
 * through one typed client per replica ({@link ChainNodeApi}), failing over to the next replica when one
 * cannot answer. Every replica builds the same tree byte for byte, so any of them may answer; the one
 * that answered last is asked first next time. verify-service adds nothing to what it relays: clients
 * re-check every proof themselves.
 */
@ApplicationScoped
public class ChainNodeClient {
    private static final Logger LOG = Logger.getLogger(ChainNodeClient.class);
    /** The receipt format's mapper: the evidence goes into receipts as served. */
    private static final com.fasterxml.jackson.databind.ObjectMapper RECEIPT_JSON = ReceiptJson.mapper();

    private final List<URI> urls;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private volatile List<Replica> replicas;
    private volatile int preferred;

    public ChainNodeClient(@ConfigProperty(name = "tracemark.verify.chain-node-url") List<URI> urls,
                           @ConfigProperty(name = "tracemark.verify.chain.connect-timeout") Duration connectTimeout,
                           @ConfigProperty(name = "tracemark.verify.chain.read-timeout") Duration readTimeout) {
        this.urls = List.copyOf(urls);
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /** The replicas' clients, built on first use (the REST client runtime is up by then). */
    private List<Replica> replicas() {
        List<Replica> r = replicas;
        if (r == null) {
            synchronized (this) {
                if (replicas == null) {
                    List<Replica> built = new ArrayList<>();
                    for (URI url : urls) {
                        built.add(new Replica(url, QuarkusRestClientBuilder.newBuilder().baseUri(url)
                                .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                                .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                                // Statuses are this class's to interpret (404 = not there yet, 5xx = next replica).
                                .property("microprofile.rest.client.disableDefaultMapper", true)
                                .build(ChainNodeApi.class)));
                    }
                    replicas = List.copyOf(built);
                }
                r = replicas;
            }
        }
        return r;
    }

    private record Replica(URI url, ChainNodeApi api) {
    }

    /** An RFC 9162 inclusion proof as served by the chain node. */
    public record Inclusion(long index, long treeSize, byte[] leafHash, List<byte[]> hashes) {
    }

    /** Where the ledger holds a record digest: its leaf index and the height of the sealed block that included it. */
    public record Leaf(long index, long blockHeight) {
    }

    /** The latest multi-signed checkpoint note, verbatim. */
    public String checkpoint() {
        return new String(call(ChainNodeApi::checkpoint).orElseThrow(() -> unavailable("the ledger has no checkpoint yet")),
                StandardCharsets.UTF_8);
    }

    /** An RFC 9162 inclusion proof, empty if the replica's tree has not reached {@code size} yet. */
    public Optional<Inclusion> inclusionIfReached(long index, long size) {
        return inclusionJson(index, size).map(body -> decoded("inclusion proof", InclusionProofCodec::decode, body))
                .map(p -> new Inclusion(p.index(), p.treeSize(), decode(p.leafHash()), hashes(p.hashes())));
    }

    /** The inclusion proof JSON as served, empty if the replica does not have it (yet). */
    public Optional<byte[]> inclusionJson(long index, long size) {
        return call(api -> api.inclusion(index, size));
    }

    /** An RFC 9162 consistency proof between two tree sizes. */
    public List<byte[]> consistencyProof(long from, long to) {
        byte[] body = consistencyJson(from, to)
                .orElseThrow(() -> unavailable("the ledger has no consistency proof from " + from + " to " + to));
        return hashes(decoded("consistency proof", ConsistencyProofCodec::decode, body).hashes());
    }

    /** The consistency proof JSON as served, empty if the replica does not have it (yet). */
    public Optional<byte[]> consistencyJson(long from, long to) {
        return call(api -> api.consistency(from, to));
    }

    /** The keys JSON as served by the first replica that answers. */
    public byte[] keysJson() {
        return call(ChainNodeApi::keys).orElseThrow(() -> unavailable("the ledger publishes no keys"));
    }

    /** The keys of every replica that answers; a 503 problem if none does. */
    public List<LedgerKeys> keysOfEveryReplica() {
        List<LedgerKeys> out = new ArrayList<>();
        for (Replica r : replicas()) {
            try {
                answer(r.api().keys()).map(body -> decoded("keys", LedgerKeysCodec::decode, body)).ifPresent(out::add);
            } catch (RuntimeException e) {
                LOG.debugf("chain node %s did not give its keys: %s", r.url(), e.toString());
            }
        }
        if (out.isEmpty()) {
            throw unavailable("no chain node replica gave its keys");
        }
        return out;
    }

    /**
     * What the ledger says of a record digest: the sealed leaf holding it, or else the size of the tree it said the
     * digest is absent from ({@code absentFromSize}, null when it did not say, as an older chain node or a leaf
     * applied but not sealed yet).
     */
    public record LeafLookup(Leaf leaf, Long absentFromSize) {
        /** The sealed leaf, if the digest is in one. */
        public Optional<Leaf> sealed() {
            return Optional.ofNullable(leaf);
        }
    }

    /**
     * The leaf of a record digest (64 hex digits) and the sealed block that included it; empty while the
     * digest is in no sealed block (404).
     */
    public Optional<Leaf> leaf(String digestHex) {
        try {
            return lookupAsync(digestHex).join().sealed();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof ProblemException p ? p : unavailable("chain node unreachable");
        }
    }

    /**
     * The ledger's answer about a record digest, without tying up the caller's thread (so that callers can look up
     * several at once): its sealed leaf, or the tree size its signed statement of absence covers.
     */
    public CompletableFuture<LeafLookup> lookupAsync(String digestHex) {
        return callAsync(api -> api.leaf(digestHex), 0).thenApply(this::leafLookup).toCompletableFuture();
    }

    private LeafLookup leafLookup(Reply reply) {
        if (!reply.found()) {
            return new LeafLookup(null, absentFrom(reply.body()));
        }
        LeafPosition p;
        try {
            p = LeafPositionCodec.decode(reply.body());
        } catch (ContractViolation e) {
            throw unavailable("unreadable leaf from the ledger: " + e.getMessage());
        }
        // A replica that does not name the block cannot show the leaf is sealed, so it is not anchored yet.
        if (p.blockHeight() == null) {
            return new LeafLookup(null, null);
        }
        return new LeafLookup(new Leaf(p.index(), p.blockHeight()), null);
    }

    /** The tree size a 404 answer says the digest is absent from, or null when it says none. */
    private static Long absentFrom(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return LeafAbsenceCodec.decode(body).treeSize();
        } catch (ContractViolation e) {
            LOG.debugf("a leaf lookup's 404 without a statement of absence: %s", e.getMessage());
            return null;
        }
    }

    /**
     * Witness evidence for the checkpoint of {@code size}: a checkpoint at least as large cosigned by the log's
     * witnesses and the consistency proof to it; empty when none is witnessed yet or the log has no witnesses.
     */
    public Optional<WitnessEvidence> witnessed(long size) {
        return call(api -> api.witnessed(size)).map(body -> {
            try {
                return RECEIPT_JSON.readValue(body, WitnessEvidence.class);
            } catch (java.io.IOException e) {
                throw unavailable("the ledger served unreadable witness evidence");
            }
        }).filter(WitnessEvidence::isWitnessed);
    }

    /** The RFC 3161 TimeStampResp (DER) over the checkpoint of {@code size}, if it was stamped. */
    public Optional<byte[]> timestamp(long size) {
        return call(api -> api.timestamp(size));
    }

    /**
     * The external authorities' tokens over the checkpoint of {@code size}, empty when no replica has it sealed or
     * answers it (an older chain node) or its answer is unreadable: a receipt goes without them rather than fail.
     */
    public Optional<AuthorityTimestamps> authorities(long size) {
        try {
            return call(api -> api.authorities(size)).map(AuthorityTimestampsCodec::decode);
        } catch (ContractViolation | ProblemException e) {
            LOG.debugf("no external authorities' tokens for tree size %d: %s", size, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Asks the replicas in turn, starting with the one that answered last: the body on 200, empty on 404 or
     * 422 (the ledger does not have it), the next replica on any other status or a transport failure, and
     * a 503 problem when none answers.
     */
    private Optional<byte[]> call(Function<ChainNodeApi, RestResponse<byte[]>> request) {
        List<Replica> replicas = replicas();
        int start = preferred;
        for (int i = 0; i < replicas.size(); i++) {
            int at = (start + i) % replicas.size();
            Replica r = replicas.get(at);
            try {
                Optional<byte[]> body = answer(request.apply(r.api()));
                preferred = at;
                return body;
            } catch (RuntimeException e) {
                if (isNotThere(e)) {
                    preferred = at;
                    return Optional.empty();
                }
                LOG.debugf("chain node %s failed (%s); trying the next replica", r.url(), e.toString());
            }
        }
        throw unavailable("no chain node replica answered");
    }

    /** An answer of a replica: the body of a 200 ({@code found}), or of a 404/422 (possibly empty). */
    private record Reply(boolean found, byte[] body) {
    }

    private CompletionStage<Reply> callAsync(Function<ChainNodeApi, CompletionStage<RestResponse<byte[]>>> request,
                                             int attempt) {
        List<Replica> replicas = replicas();
        if (attempt >= replicas.size()) {
            return CompletableFuture.failedFuture(unavailable("no chain node replica answered"));
        }
        int at = (preferred + attempt) % replicas.size();
        CompletionStage<RestResponse<byte[]>> sent;
        try {
            sent = request.apply(replicas.get(at).api());
        } catch (RuntimeException e) {
            return callAsync(request, attempt + 1);
        }
        return sent.thenApply(ChainNodeClient::reply).handle((reply, e) -> {
            if (e == null) {
                preferred = at;
                return CompletableFuture.completedFuture(reply);
            }
            if (isNotThere(e)) {
                preferred = at;
                return CompletableFuture.completedFuture(new Reply(false, notThereBody(e)));
            }
            return callAsync(request, attempt + 1);
        }).thenCompose(f -> f);
    }

    /** A 200's body or a 404/422's body; any other status is thrown so the next replica is tried. */
    private static Reply reply(RestResponse<byte[]> r) {
        int status = r.getStatus();
        if (status == 404 || status == 422) {
            return new Reply(false, r.getEntity());
        }
        return new Reply(true, answer(r).orElseThrow());
    }

    /** The body of a 404/422 the REST client raised as an exception, if it can still be read. */
    private static byte[] notThereBody(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof WebApplicationException w && w.getResponse() != null) {
                try {
                    return w.getResponse().readEntity(byte[].class);
                } catch (RuntimeException unreadable) {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * Whether a failed call was the replica saying it does not have the thing (404/422), which the REST client
     * may still raise as an exception although its default exception mapper is off.
     */
    private static boolean isNotThere(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof WebApplicationException w && w.getResponse() != null) {
                int status = w.getResponse().getStatus();
                return status == 404 || status == 422;
            }
        }
        return false;
    }

    /** The body of a 200, empty for 404/422; any other status is thrown so the next replica is tried. */
    private static Optional<byte[]> answer(RestResponse<byte[]> r) {
        int status = r.getStatus();
        if (status == 404 || status == 422) {
            return Optional.empty();
        }
        if (status != 200) {
            throw unavailable("chain node answered HTTP " + status);
        }
        byte[] body = r.getEntity();
        return Optional.of(body == null ? new byte[0] : body);
    }

    /** A chain-node answer read with its contracts codec; one that breaks the contract is a 503 like no answer. */
    private static <T> T decoded(String what, Function<byte[], T> codec, byte[] body) {
        try {
            return codec.apply(body);
        } catch (ContractViolation e) {
            throw unavailable("unreadable " + what + " from the ledger (" + e.code() + "): " + e.getMessage());
        }
    }

    private static List<byte[]> hashes(List<String> base64) {
        List<byte[]> out = new ArrayList<>(base64.size());
        for (String h : base64) {
            out.add(decode(h));
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

    /** The retriable 503 problem for a ledger that cannot answer. */
    public static ProblemException unavailable(String detail) {
        return new ProblemException(Problem.of("chain-unavailable", 503, "The ledger is temporarily unavailable")
                .detail(detail).retriable(true).build());
    }
}
