package io.tracemark.chain;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tracemark.testsupport.SharedInfra;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Points a chain node at the JVM-wide shared Kafka with chain topics of its own (created like the
 * standard ones: one partition, LogAppendTime, kept forever), so that each test class sees a tree
 * that starts at leaf 0, and a fresh data dir.
 */
public class ChainTestInfra implements QuarkusTestResourceLifecycleManager {
    static final Map<String, String> CHAIN_TOPIC_CONFIG = Map.of(
            "message.timestamp.type", "LogAppendTime", "retention.ms", "-1", "retention.bytes", "-1");

    /** Names of a fresh set of chain topics. */
    public record Topics(String leaves, String blocks, String signatures) {
    }

    /** Creates a fresh set of chain topics on the shared broker. */
    public static Topics createTopics() {
        String p = "test-" + UUID.randomUUID().toString().substring(0, 8) + ".chain.";
        Topics t = new Topics(p + "leaves", p + "blocks", p + "signatures");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafkaBootstrap()))) {
            admin.createTopics(List.of(t.leaves, t.blocks, t.signatures).stream()
                    .map(n -> new NewTopic(n, 1, (short) 1).configs(CHAIN_TOPIC_CONFIG)).toList()).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create test topics", e);
        }
        return t;
    }

    /** A new empty temporary directory. */
    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        Topics t = createTopics();
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", SharedInfra.kafkaBootstrap());
        config.put("tracemark.kafka.bootstrap-servers", SharedInfra.kafkaBootstrap());
        config.put("tracemark.topics.chain-leaves", t.leaves);
        config.put("tracemark.topics.chain-blocks", t.blocks);
        config.put("tracemark.topics.chain-signatures", t.signatures);
        config.put("tracemark.chain.data-dir", tempDir("chain-node-test-").toString());
        config.put("tracemark.chain.block-interval", "100ms");
        return config;
    }

    @Override
    public void stop() {
        // The shared broker outlives the class; SharedInfra stops it when the JVM exits.
    }
}
