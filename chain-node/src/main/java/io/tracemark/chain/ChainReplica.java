package io.tracemark.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.chain.checkpoint.Checkpoint;
import io.tracemark.chain.checkpoint.NoteSigner;
import io.tracemark.chain.checkpoint.SignerKeyFile;
import io.tracemark.chain.cosign.CosignatureBook;
import io.tracemark.chain.cosign.CosignatureMessage;
import io.tracemark.chain.cosign.TrustPolicy;
import io.tracemark.chain.kafka.ApplyStatus;
import io.tracemark.chain.kafka.ChainPublisher;
import io.tracemark.chain.kafka.LeafConsumerLoop;
import io.tracemark.chain.kafka.SignatureConsumerLoop;
import io.tracemark.chain.log.BlockDocument;
import io.tracemark.chain.log.Commit;
import io.tracemark.chain.log.LogEngine;
import io.tracemark.chain.log.LogState;
import io.tracemark.chain.log.LogStorage;
import io.tracemark.chain.log.Sealer;
import io.tracemark.chain.timestamp.Timestamper;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * One chain-node replica (architecture.md "The chain node"): recovers the local log, applies the
 * leaves topic, seals and signs checkpoints, exchanges cosignatures and time-stamps checkpoints.
 */
public final class ChainReplica implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ChainReplica.class);

    private final ReplicaSettings config;
    private final ObjectMapper json;

    private final ApplyStatus status = new ApplyStatus();
    private LogStorage storage;
    private NoteSigner signer;
    private TrustPolicy trust;
    private CosignatureBook book;
    private ChainPublisher publisher;
    private Sealer sealer;
    private LeafConsumerLoop apply;
    private SignatureConsumerLoop cosign;
    private Timestamper timestamper;
    private volatile LogState committed;

    private ChainReplica(ReplicaSettings config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    /** Recovers the local log and starts applying, cosigning and time-stamping. */
    public static ChainReplica start(ReplicaSettings settings, ObjectMapper json) {
        ChainReplica r = new ChainReplica(settings, json);
        r.run();
        return r;
    }

    private void run() {
        Path dataDir = config.dataDir();
        String bootstrap = config.bootstrap();
        signer = SignerKeyFile.load(config.signingKey(), dataDir.resolve("keys"), config.keyName());
        trust = config.trustedKeys().filter(l -> !l.isEmpty()).map(TrustPolicy::pinned)
                .orElseGet(() -> TrustPolicy.firstUse(dataDir.resolve("keys").resolve("tofu-keys.txt")));
        book = new CosignatureBook(config.origin(), signer.name(), trust);
        timestamper = Timestamper.open(dataDir.resolve("tsa"), config.keyName());
        storage = LogStorage.open(dataDir);
        LogState initial = storage.state();
        signAndPublish(initial);
        LogEngine engine = new LogEngine(storage.tiles(), storage.blocks(), storage.index(), storage.range(), initial,
                config.maxLeavesPerBlock(), config.maxBatchesPerBlock());
        String client = "chain-node-" + signer.name().replaceAll("[^A-Za-z0-9._-]", "_");
        publisher = new ChainPublisher(bootstrap, client, json, config.leavesTopic(), config.blocksTopic(),
                config.signaturesTopic());
        sealer = new Sealer(storage, this::onDurable);
        cosign = new SignatureConsumerLoop(bootstrap, client + "-cosign", config.signaturesTopic(), book, json);
        cosign.start();
        apply = new LeafConsumerLoop(bootstrap, client + "-apply", config.leavesTopic(), engine, sealer, publisher,
                config.blockInterval(), status);
        apply.start();
        LOG.infof("chain node %s started: origin %s, verifier key %s", signer.name(), config.origin(),
                signer.verifier().encode());
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (publisher != null) {
                publisher.close();
            }
            if (timestamper != null) {
                timestamper.close();
            }
            if (storage != null) {
                storage.close();
            }
        }
    }

    private void onDurable(Commit c) {
        LogState state = c.state();
        String note = signAndPublish(state);
        publisher.publishBlock(BlockDocument.of(config.origin(), c.block(), note, signer.name()));
    }

    /** Signs the checkpoint of a durable state, shares the signature, and makes it the served state. */
    private String signAndPublish(LogState state) {
        byte[] root = state.lastHeader() == null ? Rfc9162Hasher.emptyRoot() : state.lastHeader().root();
        String body = new Checkpoint(config.origin(), state.treeSize(), root).body();
        String line = signer.signatureLine(body);
        book.recordOwn(state.treeSize(), body, line);
        committed = state;
        if (publisher != null) {
            publisher.publishSignature(new CosignatureMessage(config.origin(), state.treeSize(), signer.name(),
                    signer.verifier().encode(), line));
        }
        timestamper.submit(state.treeSize(), body);
        return book.note(state.treeSize()).orElseThrow();
    }

    /** The latest durable, signed state. */
    public LogState committed() {
        return committed;
    }

    /** The multi-signed note of the latest checkpoint. */
    public String checkpointNote() {
        return book.note(committed.treeSize()).orElseThrow();
    }

    /** Block {@code height} as published, if sealed and durable. */
    public java.util.Optional<BlockDocument> block(long height) {
        LogState state = committed;
        if (height < 0 || height >= state.blocks()) {
            return java.util.Optional.empty();
        }
        var block = storage.blocks().read(height, state.blocks(), state.blocksDataLength());
        var h = block.header();
        // Ed25519 is deterministic, so re-signing an evicted checkpoint yields the published signature.
        String note = book.note(h.treeSize()).orElseGet(() -> {
            String body = new Checkpoint(config.origin(), h.treeSize(), h.root()).body();
            return new io.tracemark.chain.checkpoint.SignedNote(body, java.util.List.of(signer.signatureLine(body)))
                    .format();
        });
        return java.util.Optional.of(BlockDocument.of(config.origin(), block, note, signer.name()));
    }

    /** Index of the leaf whose RFC 9162 leaf hash is {@code leafHash}, within the latest checkpoint. */
    public java.util.OptionalLong findLeaf(byte[] leafHash) {
        long size = committed.treeSize();
        long found = storage.index().find(leafHash, size, i -> storage.tiles().readLevel(0, i, 1));
        return found < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(found);
    }

    /** Local storage (tiles, blocks, leaf index). */
    public LogStorage storage() {
        return storage;
    }

    /** Cosignatures merged into served checkpoints. */
    public CosignatureBook cosignatures() {
        return book;
    }

    /** This replica's note signer. */
    public NoteSigner signer() {
        return signer;
    }

    /** Trusted cosigner keys. */
    public TrustPolicy trust() {
        return trust;
    }

    /** RFC 3161 time-stamping of checkpoints. */
    public Timestamper timestamper() {
        return timestamper;
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
