package io.tracemark.chain.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of one chain-node replica ({@code tracemark.chain.*}), each overridable by environment variable. */
@ConfigMapping(prefix = "tracemark.chain")
public interface ChainConfig {
    /** Directory holding tiles, state, keys and time-stamps (env {@code TRACEMARK_CHAIN_DATA_DIR}). */
    @WithDefault("data/chain-node")
    String dataDir();

    /** C2SP signed-note key name of this replica (env {@code TRACEMARK_CHAIN_KEY_NAME}). */
    @WithDefault("tracemark.local/chain-node-1")
    String keyName();

    /** C2SP tlog-checkpoint origin line; identical on every replica. */
    @WithDefault("tracemark.local/log")
    String origin();

    /** A block is cut once this many leaves are pending after a record; identical on every replica. */
    @WithDefault("262144")
    int maxLeavesPerBlock();

    /**
     * A block is also cut once this many leaf-batch records are pending, so that the block's
     * {@code batches} list always fits one Kafka message; identical on every replica.
     */
    @WithDefault("8192")
    int maxBatchesPerBlock();

    /** A replica publishes a seal marker once its oldest unsealed leaf is older than this. */
    @WithDefault("250ms")
    Duration blockInterval();

    /** Signer key in C2SP form {@code PRIVATE+KEY+name+keyid+base64}; generated into the data dir if absent. */
    Optional<String> signingKey();

    /** Verifier keys of replicas whose cosignatures are merged; trust-on-first-use when absent. */
    Optional<List<String>> trustedKeys();

    /**
     * C2SP tlog-witnesses every new checkpoint is submitted to, comma-separated, each
     * {@code <cosigner vkey> <submission prefix URL>} (env {@code TRACEMARK_CHAIN_WITNESSES}); none by default.
     */
    Optional<List<String>> witnesses();

    /** The replica's own RFC 3161 TSA identity ({@code tracemark.chain.tsa.*}). */
    Tsa tsa();

    /** Where the replica's TSA key and certificate come from. */
    interface Tsa {
        /**
         * PEM EC private key of the replica's TSA (env {@code TRACEMARK_CHAIN_TSA_KEY_FILE}, e.g. a Docker secret); with
         * {@link #certificateFile()}, or neither: then a key and certificate are generated into the data dir.
         */
        Optional<String> keyFile();

        /** PEM certificate of that key, extended key usage id-kp-timeStamping (env {@code TRACEMARK_CHAIN_TSA_CERTIFICATE_FILE}). */
        Optional<String> certificateFile();
    }

    /** Spans of the replica's Kafka work ({@code tracemark.chain.tracing.*}; docs/ledger.md "Tracing"). */
    Tracing tracing();

    /** How the replica traces leaf batches and blocks. */
    interface Tracing {
        /**
         * Leaf-batch contexts a block's seal span links at most (env {@code TRACEMARK_CHAIN_TRACING_MAX_LINKS}); a span
         * past it says so ({@code tracemark.links.truncated}). OpenTelemetry keeps 128 links a span unless
         * {@code quarkus.otel.span.link.count.limit} is raised too.
         */
        @WithDefault("128")
        int maxLinks();
    }

    /** External RFC 3161 time-stamping authorities ({@code tracemark.chain.external-tsa.*}). */
    ExternalTsa externalTsa();

    /** External RFC 3161 authorities that time-stamp every checkpoint besides the replica's own TSA. */
    interface ExternalTsa {
        /**
         * Authorities, comma-separated, each {@code <name> <url> <certificate PEM file>}
         * (env {@code TRACEMARK_CHAIN_EXTERNAL_TSA_AUTHORITIES}); none by default.
         */
        Optional<List<String>> authorities();

        /** Bound on one request, connect and answer (env {@code TRACEMARK_CHAIN_EXTERNAL_TSA_TIMEOUT}). */
        @WithDefault("10s")
        Duration timeout();

        /** Requests per checkpoint before it is left without that authority's token. */
        @WithDefault("3")
        int attempts();

        /** Wait before the second attempt, doubled before each further one. */
        @WithDefault("1s")
        Duration retryBackoff();

        /**
         * Least time between two requests to one authority (public ones limit their rate): the newest checkpoint
         * is stamped at most once an interval, those in between go without that authority's token. {@code 0s}
         * asks for every checkpoint.
         */
        @WithDefault("0s")
        Duration minInterval();
    }
}
