package io.tracemark.chain.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Kafka topic names used by the chain node ({@code tracemark.topics.*}). */
@ConfigMapping(prefix = "tracemark.topics")
public interface TopicsConfig {
    /** Ordered leaf batches and seal markers (one partition). */
    @WithDefault("tracemark.chain.leaves")
    String chainLeaves();

    /** Sealed blocks, published by every replica. */
    @WithDefault("tracemark.chain.blocks")
    String chainBlocks();

    /** Checkpoint signatures exchanged between replicas. */
    @WithDefault("tracemark.chain.signatures")
    String chainSignatures();
}
