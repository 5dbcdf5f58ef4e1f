package io.tracemark.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/** A single-node KRaft Kafka (broker and controller in one process) bound to 127.0.0.1. */
public final class EmbeddedKafka implements AutoCloseable {

    /** Default time allowed for topic creation until every partition has a leader. */
    public static final Duration DEFAULT_TOPIC_TIMEOUT = Duration.ofSeconds(60);

    private static final int NODE_ID = 1;

    private final Path dataDir;
    private final int brokerPort;
    private final int controllerPort;
    private final KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafka(Path dataDir, int brokerPort, int controllerPort, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.server = server;
    }

    /** Starts Kafka with its storage under {@code dataDir}; a port of 0 picks a free one. */
    public static EmbeddedKafka start(Path dataDir, int brokerPort, int controllerPort) {
        return start(dataDir, brokerPort, controllerPort, Map.of());
    }

    /** Like {@link #start(Path, int, int)}, with broker config {@code overrides} applied last. */
    public static EmbeddedKafka start(Path dataDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        Path dir = dataDir.toAbsolutePath();
        Map<String, Integer> ports = Ports.resolveAll(orderedPorts(brokerPort, controllerPort));
        int port = ports.get("kafka");
        int cport = ports.get("kafka controller");
        Properties props = brokerProperties(dir.resolve("log"), port, cport);
        overrides.forEach(props::setProperty);
        try {
            Files.createDirectories(dir);
            Path propsFile = writeProperties(dir.resolve("server.properties"), props);
            formatIfNeeded(dir.resolve("log"), propsFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare kafka data dir " + dir, e);
        }

        KafkaRaftServer server;
        try {
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        } catch (RuntimeException e) {
            throw new IllegalStateException("kafka could not load its storage in " + dir.resolve("log") + ": "
                    + e.getMessage() + " (delete the directory to start from scratch)", e);
        }
        try {
            server.startup();
        } catch (RuntimeException e) {
            shutdownQuietly(server);
            throw new IllegalStateException("kafka failed to start on 127.0.0.1:" + port + " (controller " + cport
                    + ", data " + dir + "): " + e.getMessage(), e);
        }
        return new EmbeddedKafka(dir, port, cport, server);
    }

    private static Map<String, Integer> orderedPorts(int brokerPort, int controllerPort) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("kafka", brokerPort);
        m.put("kafka controller", controllerPort);
        return m;
    }

    /** The broker address for clients, e.g. {@code 127.0.0.1:9092}. */
    public String bootstrapServers() {
        return Ports.LOOPBACK + ":" + brokerPort;
    }

    /** The PLAINTEXT client port. */
    public int brokerPort() {
        return brokerPort;
    }

    /** The KRaft controller port. */
    public int controllerPort() {
        return controllerPort;
    }

    /** The directory holding {@code server.properties} and the log directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** Creates the topics that do not exist yet (existing ones are left untouched) and waits for their leaders. */
    public void createTopics(List<TopicSpec> topics) {
        createTopics(topics, DEFAULT_TOPIC_TIMEOUT);
    }

    /** Like {@link #createTopics(List)} with an explicit timeout. */
    public void createTopics(List<TopicSpec> topics, Duration timeout) {
        if (topics.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(adminConfig(timeout))) {
            List<NewTopic> newTopics = new ArrayList<>();
            for (TopicSpec spec : topics) {
                newTopics.add(new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(spec.configs()));
            }
            Map<String, KafkaFuture<Void>> results = admin.createTopics(newTopics).values();
            for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
                try {
                    result.getValue().get(remaining(deadline), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + result.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            awaitLeaders(admin, results.keySet().stream().toList(), deadline, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topics were not created within " + timeout.toSeconds() + "s", e);
        }
    }

    /** Stops the broker and controller and waits until their files are closed. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
    }

    static Properties brokerProperties(Path logDir, int port, int cport) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        // A static voter set needs no --standalone format and survives a restart on other ports.
        p.put("controller.quorum.voters", NODE_ID + "@" + Ports.LOOPBACK + ":" + cport);
        p.put("listeners", "PLAINTEXT://" + Ports.LOOPBACK + ":" + port + ",CONTROLLER://" + Ports.LOOPBACK + ":" + cport);
        p.put("advertised.listeners", "PLAINTEXT://" + Ports.LOOPBACK + ":" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());

        // Single node: every replication factor and ISR has to be 1 or internal topics never appear.
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // Internal topics default to 50 partitions each; one is plenty here and starts much faster.
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Topics carry retention and timestamp rules; an auto-created topic would silently lack them.
        p.put("auto.create.topics.enable", "false");

        // Sized for a 2-core laptop: the defaults assume a dedicated server.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("num.replica.fetchers", "1");
        p.put("log.cleaner.threads", "1");
        // The cleaner allocates this buffer eagerly; the 128 MiB default would eat a quarter of the heap.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        p.put("log.retention.hours", "168");
        p.put("log.retention.check.interval.ms", "300000");
        // After a crash the controller refuses the broker's new registration (DUPLICATE_BROKER_REGISTRATION)
        // until the old session expires: 9 s by default, a visible stall in every crash-recovery test.
        p.put("broker.session.timeout.ms", "3000");
        p.put("broker.heartbeat.interval.ms", "1000");
        // Fail instead of hanging forever when the quorum cannot form (e.g. a corrupt data dir).
        p.put("server.max.startup.time.ms", "60000");

        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    private static Path writeProperties(Path file, Properties props) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(out, "Generated by Tracemark EmbeddedKafka; rewritten on every start");
        }
        return file;
    }

    private static void formatIfNeeded(Path logDir, Path propsFile) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {
                "format", "-t", Uuid.randomUuid().toString(), "-c", propsFile.toString(), "--ignore-formatted"
            }, out);
        } catch (Exception e) {
            throw new IllegalStateException("formatting kafka storage in " + logDir + " failed: " + e.getMessage()
                    + "\n" + buffer.toString(StandardCharsets.UTF_8), e);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting kafka storage in " + logDir + " exited with " + rc + ":\n"
                    + buffer.toString(StandardCharsets.UTF_8));
        }
    }

    private Map<String, Object> adminConfig(Duration timeout) {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "tracemark-embedded-kafka-admin",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    private static void awaitLeaders(Admin admin, List<String> names, long deadline, Duration timeout)
            throws InterruptedException, TimeoutException {
        String missing = "";
        while (System.nanoTime() < deadline) {
            try {
                Map<String, TopicDescription> descriptions =
                        admin.describeTopics(names).allTopicNames().get(remaining(deadline), TimeUnit.NANOSECONDS);
                missing = leaderless(descriptions);
                if (missing.isEmpty()) {
                    return;
                }
            } catch (ExecutionException e) {
                // Metadata for a just-created topic can lag; retry until the deadline.
                missing = e.getCause().getMessage();
            }
            Thread.sleep(100);
        }
        throw new TimeoutException("partitions without a leader after " + timeout.toSeconds() + "s: " + missing);
    }

    private static String leaderless(Map<String, TopicDescription> descriptions) {
        List<String> missing = new ArrayList<>();
        for (TopicDescription d : descriptions.values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                if (p.leader() == null || p.leader().isEmpty()) {
                    missing.add(d.name() + "-" + p.partition());
                }
            }
        }
        return String.join(", ", missing);
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException suppressed) {
            // The startup failure is the error worth reporting; a second one from teardown only obscures it.
        }
    }
}
