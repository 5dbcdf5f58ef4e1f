package io.tracemark.localstack;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the local stack keeps its data, which ports it uses and where the service builds are.
 * Every value can come from a command-line flag or an environment variable (flag wins).
 * {@code infraProcess} runs Kafka and the MongoDB-wire server in a child JVM instead of this one, so
 * that fault tests can kill them with SIGKILL. {@code verifyRateLimitPerSecond} is the public API's
 * per-client request rate; load runs that check every receipt raise it. {@code webhooks} configures
 * attest's webhook delivery ({@code --webhooks-allow-loopback}, {@code --webhooks-retry-schedule},
 * {@code --webhooks-timeout}); all off by default.
 */
public record StackOptions(Path repoRoot, Path dataDir, int kafkaPort, int kafkaControllerPort, int mongoPort,
                           int verifyPort, int ingestPort, int attestPort, List<Integer> chainNodePorts,
                           boolean mongoInMemory, String serviceJvmOptions, boolean infraProcess,
                           int verifyRateLimitPerSecond, WebhookOptions webhooks) {

    /** Defaults from the design: verify 8080, ingest 8081, attest 8082, chain-node 8083 and 8084. */
    public static StackOptions fromArgs(String[] args) {
        Path root = Path.of(value(args, "--repo", "TRACEMARK_REPO", ".")).toAbsolutePath().normalize();
        Path data = Path.of(value(args, "--data", "TRACEMARK_DATA", root.resolve("data").toString())).toAbsolutePath();
        int chainReplicas = Integer.parseInt(value(args, "--chain-replicas", "TRACEMARK_CHAIN_REPLICAS", "2"));
        int chainPort = port(args, "--chain-node-port", "TRACEMARK_CHAIN_NODE_PORT", 8083);
        List<Integer> chainPorts = new java.util.ArrayList<>();
        for (int i = 0; i < chainReplicas; i++) {
            chainPorts.add(chainPort == 0 ? 0 : chainPort + i);
        }
        return new StackOptions(root, data,
                port(args, "--kafka-port", "TRACEMARK_KAFKA_PORT", 9092),
                port(args, "--kafka-controller-port", "TRACEMARK_KAFKA_CONTROLLER_PORT", 9093),
                port(args, "--mongo-port", "TRACEMARK_MONGO_PORT", 27017),
                port(args, "--verify-port", "TRACEMARK_VERIFY_PORT", 8080),
                port(args, "--ingest-port", "TRACEMARK_INGEST_PORT", 8081),
                port(args, "--attest-port", "TRACEMARK_ATTEST_PORT", 8082),
                List.copyOf(chainPorts),
                Boolean.parseBoolean(value(args, "--mongo-memory", "TRACEMARK_MONGO_MEMORY", "false")),
                value(args, "--service-jvm-options", "TRACEMARK_SERVICE_JVM_OPTIONS", "-Xmx384m -XX:+UseSerialGC"),
                Boolean.parseBoolean(value(args, "--infra-process", "TRACEMARK_INFRA_PROCESS", "false")),
                Integer.parseInt(value(args, "--verify-rate-limit", "TRACEMARK_VERIFY_RATE_LIMIT", "20")),
                new WebhookOptions(
                        Boolean.parseBoolean(value(args, "--webhooks-allow-loopback", "TRACEMARK_WEBHOOKS_ALLOW_LOOPBACK", "false")),
                        value(args, "--webhooks-retry-schedule", "TRACEMARK_WEBHOOKS_RETRY_SCHEDULE", ""),
                        value(args, "--webhooks-timeout", "TRACEMARK_WEBHOOKS_TIMEOUT", "")));
    }

    private static int port(String[] args, String flag, String env, int dflt) {
        return Integer.parseInt(value(args, flag, env, Integer.toString(dflt)));
    }

    private static String value(String[] args, String flag, String env, String dflt) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(flag) && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith(flag + "=")) {
                return args[i].substring(flag.length() + 1);
            }
        }
        String e = System.getenv(env);
        return e == null || e.isBlank() ? dflt : e;
    }
}
