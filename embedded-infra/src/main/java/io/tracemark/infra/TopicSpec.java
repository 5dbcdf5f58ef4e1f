package io.tracemark.infra;

import java.util.Map;
import java.util.Objects;

/** A topic to create: name, partition count and topic-level configs (replication factor is always 1). */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {

    /** Validates and defensively copies the configs. */
    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + " needs at least 1 partition, got " + partitions);
        }
        configs = Map.copyOf(configs == null ? Map.of() : configs);
    }

    /** A topic with default configs. */
    public static TopicSpec of(String name, int partitions) {
        return new TopicSpec(name, partitions, Map.of());
    }

    /** The same topic under another name. */
    public TopicSpec withName(String newName) {
        return new TopicSpec(newName, partitions, configs);
    }
}
