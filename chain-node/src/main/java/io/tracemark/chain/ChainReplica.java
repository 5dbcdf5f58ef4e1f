package io.tracemark.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.tracemark.chain.checkpoint.CheckpointSigner;
import io.tracemark.chain.checkpoint.SignerKeyFile;
import io.tracemark.chain.cosign.CosignatureBook;
import io.tracemark.chain.cosign.CosignatureMessage;
import io.tracemark.chain.cosign.TrustPolicy;
import io.tracemark.chain.kafka.ApplyStatus;
import io.tracemark.chain.kafka.ChainPublisher;
import io.tracemark.chain.kafka.LeafConsumerLoop;
import io.tracemark.chain.kafka.SignatureConsumerLoop;
import io.tracemark.chain.log.BlockMessages;
import io.tracemark.chain.log.Commit;
import io.tracemark.chain.log.LogEngine;
import io.tracemark.chain.log.LogState;
import io.tracemark.chain.log.LogStorage;
import io.tracemark.chain.log.Sealer;
import io.tracemark.chain.timestamp.Timestamper;
import io.tracemark.chain.timestamp.external.ExternalTimestamps;
import io.tracemark.chain.tracing.ReplicaTraces;
import io.tracemark.chain.witnessing.ReplicaLog;
import io.tracemark.chain.witnessing.WitnessEndpoint;
import io.tracemark.chain.witnessing.Witnessing;
import io.tracemark.contracts.blocks.BlockMessage;
import io.tracemark.proofs.absence.AbsenceStatement;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.note.NoteSignature;
import io.tracemark.proofs.note.NoteSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * One chain-node replica (docs/ledger.md): recovers the local log, applies the
 * leaves topic, seals and signs checkpoints, exchanges cosignatures and time-stamps checkpoints.
 */
public final class ChainReplica implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ChainReplica.class);
    /** The producer's delivery timeout (120 s, Kafka's default) and a margin. */
    private static final long REPUBLISH_WINDOW_MILLIS = 150_000;
    private static final long REPUBLISH_MAX_BLOCKS = 1_000;

    private final ReplicaSettings config;
    private final ObjectMapper json;
    private final ReplicaTraces traces;

    private final ApplyStatus status = new ApplyStatus();
    private LogStorage storage;
    private CheckpointSigner signer;
    private TrustPolicy trust;
    private CosignatureBook book;
    private ChainPublisher publisher;
    private Sealer sealer;
    private LeafConsumerLoop apply;
    private SignatureConsumerLoop cosign;
    private Timestamper timestamper;
    private ExternalTimestamps authorities;
    private Witnessing witnessing;
    private volatile LogState committed;
    private volatile long committedAtMillis;
    private final LongAdder blocksSealed = new LongAdder();

    private ChainReplica(ReplicaSettings config, ObjectMapper json, OpenTelemetry otel) {
        this.config = config;
        this.json = json;
        this.traces = new ReplicaTraces(otel, config.traceLinks(), config.leavesTopic(), config.blocksTopic());
    }

    /** Recovers the local log and starts applying, cosigning and time-stamping, untraced. */
    public static ChainReplica start(ReplicaSettings settings, ObjectMapper json) {
        return start(settings, json, OpenTelemetry.noop());
    }

    /** {@link #start(ReplicaSettings, ObjectMapper)}, tracing leaf batches and blocks through {@code otel} ({@link ReplicaTraces}). */
    public static ChainReplica start(ReplicaSettings settings, ObjectMapper json, OpenTelemetry otel) {
        ChainReplica r = new ChainReplica(settings, json, otel);
        r.run();
        return r;
    }

    private void run() {
        Path dataDir = config.dataDir();
        String bootstrap = config.bootstrap();
        NoteSigner key = SignerKeyFile.load(config.signingKey(), dataDir.resolve("keys"), config.keyName());
        signer = new CheckpointSigner(config.origin(), key);
        trust = config.trustedKeys().filter(l -> !l.isEmpty()).map(TrustPolicy::pinned)
                .orElseGet(() -> TrustPolicy.firstUse(dataDir.resolve("keys").resolve("tofu-keys.txt")));
        book = new CosignatureBook(config.origin(), key.name(), trust);
        timestamper = Timestamper.open(dataDir.resolve("tsa"), config.keyName(), config.tsaKeyFiles());
        authorities = ExternalTimestamps.open(dataDir.resolve("tsa").resolve("external"), config.externalTsa());
        storage = LogStorage.open(dataDir);
        LogState initial = storage.state();
        signAndPublish(initial);
        witnessing = Witnessing.start(config.witnesses().stream().map(WitnessEndpoint::parse).toList(),
                new ReplicaLog(() -> committed.treeSize(), book, storage.tiles()));
        LogEngine engine = new LogEngine(storage.tiles(), storage.blocks(), storage.index(), storage.range(), initial,
                config.maxLeavesPerBlock(), config.maxBatchesPerBlock());
        String client = "chain-node-" + key.name().replaceAll("[^A-Za-z0-9._-]", "_");
        publisher = new ChainPublisher(bootstrap, client, json, config.leavesTopic(), config.blocksTopic(),
                config.signaturesTopic());
        republishRecentBlocks(initial);
        sealer = new Sealer(storage, this::onDurable);
        cosign = new SignatureConsumerLoop(bootstrap, client + "-cosign", config.signaturesTopic(), book, json);
        cosign.start();
        apply = new LeafConsumerLoop(bootstrap, client + "-apply", config.leavesTopic(), engine, sealer, publisher,
                config.blockInterval(), status, traces);
        apply.start();
        LOG.infof("chain node %s started: origin %s, verifier key %s", key.name(), config.origin(),
                key.verifier().verifierKey());
    }

    /** Stops applying after sealing what was cut, and closes the storage. */
    @Override
    public void close() {
        try {
            if (apply != null) {
                apply.close();
            }
            if (sealer != null) {
                sealer.close();
            }
            if (cosign != null) {
                cosign.close();
            }
            if (witnessing != null) {
                witnessing.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (publisher != null) {
                publisher.close();
            }
            if (timestamper != null) {
                timestamper.close();
            }
            if (authorities != null) {
                authorities.close();
            }
            if (storage != null) {
                storage.close();
            }
        }
    }

    private void onDurable(Commit c) {
        Span seal = traces.sealing(c.block().header().height());
        try {
            LogState state = c.state();
            String note = signAndPublish(state);
            witnessing.checkpointSigned();
            blocksSealed.increment();
            publisher.publishBlock(BlockMessages.of(config.origin(), c.block(), note, signer.signer().name()),
                    traces.headers(seal));
        } finally {
            seal.end();
        }
    }

    /**
     * Publishes again this replica's copies of the blocks it sealed within the last {@link #REPUBLISH_WINDOW_MILLIS}
     * (at most {@link #REPUBLISH_MAX_BLOCKS}). A block is made durable before its copy is sent, and the producer sends
     * asynchronously, so a replica killed in between never published its copy and, without this, its signature
     * would be missing for good from that block's receipts (attest merges late copies into the per-block fact).
     * Copies already published are merged as no-ops downstream. The window covers the producer's delivery
     * timeout, past which an unsent copy is logged as failed.
     */
    private void republishRecentBlocks(LogState state) {
        long since = System.currentTimeMillis() - REPUBLISH_WINDOW_MILLIS;
        long first = state.blocks();
        while (first > 0 && state.blocks() - first < REPUBLISH_MAX_BLOCKS
                && storage.blocks().read(first - 1, state.blocks(), state.blocksDataLength()).header().timeMillis() >= since) {
            first--;
        }
        for (long h = first; h < state.blocks(); h++) {
            block(h).ifPresent(publisher::publishBlock);
        }
        if (first < state.blocks()) {
            LOG.infof("published again the copies of blocks %d to %d (sealed in the last %d s)", first, state.blocks() - 1,
                    REPUBLISH_WINDOW_MILLIS / 1000);
        }
    }

    /** Signs the checkpoint of a durable state, shares the signature, and makes it the served state. */
    private String signAndPublish(LogState state) {
        byte[] root = state.lastHeader() == null ? Rfc9162Hasher.emptyRoot() : state.lastHeader().root();
        String body = signer.body(state.treeSize(), root);
        NoteSignature own = signer.sign(body);
        book.recordOwn(state.treeSize(), body, own);
        committed = state;
        committedAtMillis = System.currentTimeMillis();
        if (publisher != null) {
            NoteSigner key = signer.signer();
            publisher.publishSignature(new CosignatureMessage(config.origin(), state.treeSize(), key.name(),
                    key.verifier().verifierKey(), CheckpointSigner.line(own)));
        }
        timestamper.submit(state.treeSize(), body);
        authorities.submit(state.treeSize(), body);
        return book.note(state.treeSize()).orElseThrow();
    }

    /** The latest durable, signed state. */
    public LogState committed() {
        return committed;
    }

    /** Wall-clock time the latest checkpoint was signed. */
    public long committedAtMillis() {
        return committedAtMillis;
    }

    /** Blocks this process has sealed (made durable and signed) since it started. */
    public long blocksSealed() {
        return blocksSealed.sum();
    }

    /** The multi-signed note of the latest checkpoint. */
    public String checkpointNote() {
        return book.note(committed.treeSize()).orElseThrow();
    }

    /** Block {@code height} as published, if sealed and durable. */
    public Optional<BlockMessage> block(long height) {
        LogState state = committed;
        if (height < 0 || height >= state.blocks()) {
            return Optional.empty();
        }
        var block = storage.blocks().read(height, state.blocks(), state.blocksDataLength());
        var h = block.header();
        // Ed25519 is deterministic, so re-signing an evicted checkpoint yields the published signature.
        String note = book.note(h.treeSize()).orElseGet(() -> signer.note(signer.body(h.treeSize(), h.root())));
        return Optional.of(BlockMessages.of(config.origin(), block, note, signer.signer().name()));
    }

    /**
     * Where a leaf sits in the chain.
     *
     * @param index       its leaf index
     * @param blockHeight height of the sealed block that appended it
     */
    public record LeafLocation(long index, long blockHeight) {
    }

    /**
     * The leaf whose RFC 9162 leaf hash is {@code leafHash}, within the latest checkpoint, and the
     * sealed block that holds it. Every leaf of a checkpoint is in a sealed block (checkpoints are
     * signed at block boundaries), so a leaf applied but not yet sealed is not found yet.
     */
    public Optional<LeafLocation> findLeaf(byte[] leafHash) {
        return findLeaf(leafHash, committed);
    }

    private Optional<LeafLocation> findLeaf(byte[] leafHash, LogState state) {
        long found = storage.index().find(leafHash, state.treeSize(), i -> storage.tiles().readLevel(0, i, 1));
        if (found < 0) {
            return Optional.empty();
        }
        return Optional.of(new LeafLocation(found, storage.blocks().heightOfLeaf(found, state.blocks())));
    }

    /**
     * Where the leaf with record digest (tried first) or leaf hash {@code hash} is within the latest checkpoint or,
     * when no leaf has it, this replica's signed statement of that ({@link AbsenceStatement}) for the same tree.
     */
    public LeafLookup lookup(byte[] hash) {
        LogState state = committed;
        Optional<LeafLocation> found = findLeaf(Rfc9162Hasher.leafHash(hash), state);
        if (found.isEmpty()) {
            found = findLeaf(hash, state);
        }
        if (found.isPresent()) {
            return new LeafLookup(found.get(), null);
        }
        byte[] root = state.lastHeader() == null ? Rfc9162Hasher.emptyRoot() : state.lastHeader().root();
        AbsenceStatement absent = new AbsenceStatement(config.origin(), state.treeSize(), root, hash);
        return new LeafLookup(null, new SignedAbsence(absent, new String(absent.sign(signer.signer()), StandardCharsets.UTF_8)));
    }

    /** A lookup's answer: the leaf's location, or the signed statement that no leaf has the hash. */
    public record LeafLookup(LeafLocation location, SignedAbsence absence) {
    }

    /** An absence statement and its signed note. */
    public record SignedAbsence(AbsenceStatement statement, String note) {
    }

    /** Local storage (tiles, blocks, leaf index). */
    public LogStorage storage() {
        return storage;
    }

    /** Cosignatures merged into served checkpoints. */
    public CosignatureBook cosignatures() {
        return book;
    }

    /** This replica's note signer key. */
    public NoteSigner signer() {
        return signer.signer();
    }

    /** Clients submitting checkpoints to the configured witnesses. */
    public Witnessing witnessing() {
        return witnessing;
    }

    /** Trusted cosigner keys. */
    public TrustPolicy trust() {
        return trust;
    }

    /** RFC 3161 time-stamping of checkpoints. */
    public Timestamper timestamper() {
        return timestamper;
    }

    /** External RFC 3161 authorities time-stamping the same checkpoints. */
    public ExternalTimestamps authorities() {
        return authorities;
    }

    /** Apply-loop status for health checks. */
    public ApplyStatus status() {
        return status;
    }

    /** Settings. */
    public ReplicaSettings config() {
        return config;
    }
}
