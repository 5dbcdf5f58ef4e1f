package io.tracemark.infra;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The standard Tracemark topic set and the settings each topic must have. */
public final class TracemarkTopics {

    /** Prefix of every default topic name. */
    public static final String DEFAULT_PREFIX = "tracemark.";

    /** Incoming attestation records. */
    public static final String RECORDS = "tracemark.records";
    /** Records that could not be processed. */
    public static final String RECORDS_DLQ = "tracemark.records.dlq";
    /** Requests to anchor records into the chain. */
    public static final String ANCHOR_REQUESTS = "tracemark.anchor-requests";
    /** Anchor requests that break their contract, parked with the reason. */
    public static final String ANCHOR_REQUESTS_DLQ = "tracemark.anchor-requests.dlq";
    /** Merkle leaves, in chain order. */
    public static final String CHAIN_LEAVES = "tracemark.chain.leaves";
    /** Sealed blocks of the chain. */
    public static final String CHAIN_BLOCKS = "tracemark.chain.blocks";
    /** Signatures over chain blocks. */
    public static final String CHAIN_SIGNATURES = "tracemark.chain.signatures";
    /** Domain events, kept forever. */
    public static final String EVENTS = "tracemark.events";

    /** Keep forever: the chain and event topics are the log of record, not a buffer. */
    private static final Map<String, String> RETAIN_FOREVER = Map.of(
            "retention.ms", "-1",
            "retention.bytes", "-1");

    /**
     * Chain topics also take the broker's clock as the record time, so a producer cannot backdate
     * a leaf, block or signature.
     */
    private static final Map<String, String> CHAIN_LOG = Map.of(
            "message.timestamp.type", "LogAppendTime",
            "retention.ms", "-1",
            "retention.bytes", "-1");

    private TracemarkTopics() {
    }

    /** The standard topics with their default {@code tracemark.*} names. */
    public static List<TopicSpec> defaults() {
        return List.of(
                TopicSpec.of(RECORDS, 4),
                TopicSpec.of(RECORDS_DLQ, 1),
                TopicSpec.of(ANCHOR_REQUESTS, 4),
                new TopicSpec(ANCHOR_REQUESTS_DLQ, 1, RETAIN_FOREVER),
                new TopicSpec(CHAIN_LEAVES, 1, CHAIN_LOG),
                new TopicSpec(CHAIN_BLOCKS, 1, CHAIN_LOG),
                new TopicSpec(CHAIN_SIGNATURES, 1, CHAIN_LOG),
                new TopicSpec(EVENTS, 4, RETAIN_FOREVER));
    }

    /** The standard topics with {@code tracemark.} replaced by {@code prefix} (e.g. {@code "acme."}). */
    public static List<TopicSpec> withPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return defaults().stream()
                .map(t -> t.withName(prefix + t.name().substring(DEFAULT_PREFIX.length())))
                .toList();
    }

    /** The standard topics, renamed through {@code renames} (default name to new name); unmapped names stay. */
    public static List<TopicSpec> defaults(Map<String, String> renames) {
        Objects.requireNonNull(renames, "renames");
        for (String from : renames.keySet()) {
            if (defaults().stream().noneMatch(t -> t.name().equals(from))) {
                throw new IllegalArgumentException("unknown Tracemark topic '" + from + "'; known: "
                        + defaults().stream().map(TopicSpec::name).toList());
            }
        }
        return defaults().stream()
                .map(t -> t.withName(renames.getOrDefault(t.name(), t.name())))
                .toList();
    }
}
