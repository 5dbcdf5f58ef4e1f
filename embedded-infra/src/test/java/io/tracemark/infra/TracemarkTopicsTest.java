package io.tracemark.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TracemarkTopicsTest {

    @Test
    void chainTopicsUseBrokerTimeAndInfiniteRetention() {
        TopicSpec leaves = byName(TracemarkTopics.defaults(), TracemarkTopics.CHAIN_LEAVES);

        assertEquals(1, leaves.partitions());
        assertEquals("LogAppendTime", leaves.configs().get("message.timestamp.type"));
        assertEquals("-1", leaves.configs().get("retention.ms"));
        assertEquals("-1", leaves.configs().get("retention.bytes"));
    }

    @Test
    void namesCanBePrefixedOrRenamed() {
        assertEquals(4, byName(TracemarkTopics.withPrefix("acme."), "acme.records").partitions());
        assertEquals("LogAppendTime", byName(TracemarkTopics.defaults(Map.of(TracemarkTopics.CHAIN_BLOCKS, "blocks")),
                "blocks").configs().get("message.timestamp.type"));
        assertThrows(IllegalArgumentException.class, () -> TracemarkTopics.defaults(Map.of("nope", "x")));
    }

    private static TopicSpec byName(List<TopicSpec> topics, String name) {
        return topics.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no topic " + name + " in " + topics));
    }
}
