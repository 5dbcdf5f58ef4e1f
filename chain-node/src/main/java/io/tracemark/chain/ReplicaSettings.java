package io.tracemark.chain;

import io.tracemark.chain.config.ChainConfig;
import io.tracemark.chain.config.TopicsConfig;
import io.tracemark.chain.timestamp.TsaKeyFiles;
import io.tracemark.chain.timestamp.external.ExternalTsaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a {@link ChainReplica} needs, independent of Quarkus so that tests and the benchmark
 * can run replicas directly.
 *
 * @param bootstrap          Kafka bootstrap servers
 * @param dataDir            local data directory
 * @param keyName            note key name
 * @param origin             checkpoint origin
 * @param maxLeavesPerBlock  block size limit in leaves
 * @param maxBatchesPerBlock block size limit in leaf-batch records
 * @param blockInterval      seal-marker interval
 * @param signingKey         optional signer key
 * @param trustedKeys        optional pinned cosigner keys
 * @param leavesTopic        leaves topic
 * @param blocksTopic        blocks topic
 * @param signaturesTopic    signatures topic
 * @param witnesses          C2SP tlog-witnesses to submit checkpoints to, each {@code <vkey> <url>}
 * @param externalTsa        external RFC 3161 authorities that time-stamp every checkpoint
 * @param tsaKeyFiles        the operator's TSA key and certificate; generated into the data dir when empty
 * @param traceLinks         leaf-batch contexts a block's seal span links at most
 */
public record ReplicaSettings(String bootstrap, Path dataDir, String keyName, String origin, int maxLeavesPerBlock,
                              int maxBatchesPerBlock, Duration blockInterval, Optional<String> signingKey,
                              Optional<List<String>> trustedKeys, String leavesTopic, String blocksTopic,
                              String signaturesTopic, List<String> witnesses, ExternalTsaSettings externalTsa,
                              Optional<TsaKeyFiles> tsaKeyFiles, int traceLinks) {
    /** Links of a seal span unless configured: OpenTelemetry's default span link limit. */
    public static final int DEFAULT_TRACE_LINKS = 128;

    /** Copies the list. */
    public ReplicaSettings {
        witnesses = List.copyOf(witnesses);
        externalTsa = externalTsa == null ? ExternalTsaSettings.none() : externalTsa;
        tsaKeyFiles = tsaKeyFiles == null ? Optional.empty() : tsaKeyFiles;
    }

    /** Settings without external time-stamping authorities. */
    public ReplicaSettings(String bootstrap, Path dataDir, String keyName, String origin, int maxLeavesPerBlock,
                           int maxBatchesPerBlock, Duration blockInterval, Optional<String> signingKey,
                           Optional<List<String>> trustedKeys, String leavesTopic, String blocksTopic,
                           String signaturesTopic, List<String> witnesses) {
        this(bootstrap, dataDir, keyName, origin, maxLeavesPerBlock, maxBatchesPerBlock, blockInterval, signingKey,
                trustedKeys, leavesTopic, blocksTopic, signaturesTopic, witnesses, ExternalTsaSettings.none(), Optional.empty(),
                DEFAULT_TRACE_LINKS);
    }

    /** Settings from Quarkus configuration. */
    public static ReplicaSettings from(ChainConfig c, TopicsConfig t, String bootstrap) {
        return new ReplicaSettings(bootstrap, Path.of(c.dataDir()).toAbsolutePath(), c.keyName(), c.origin(),
                c.maxLeavesPerBlock(), c.maxBatchesPerBlock(), c.blockInterval(), c.signingKey(), c.trustedKeys(),
                t.chainLeaves(), t.chainBlocks(), t.chainSignatures(), c.witnesses().orElse(List.of()),
                new ExternalTsaSettings(c.externalTsa().authorities().orElse(List.of()), c.externalTsa().timeout(),
                        c.externalTsa().attempts(), c.externalTsa().retryBackoff(), c.externalTsa().minInterval()),
                TsaKeyFiles.of(c.tsa().keyFile(), c.tsa().certificateFile()), c.tracing().maxLinks());
    }

    /** A copy with another data dir and key name (a second replica on the same topics). */
    public ReplicaSettings asReplica(Path dir, String name) {
        return new ReplicaSettings(bootstrap, dir, name, origin, maxLeavesPerBlock, maxBatchesPerBlock, blockInterval,
                Optional.empty(), trustedKeys, leavesTopic, blocksTopic, signaturesTopic, witnesses, externalTsa,
                Optional.empty(), traceLinks);
    }
}
