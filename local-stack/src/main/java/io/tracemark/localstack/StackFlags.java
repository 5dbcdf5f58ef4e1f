package io.tracemark.localstack;

import io.tracemark.infra.cli.EnvDefaults;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The local stack's command-line flags; each also reads the environment variable named after it
 * ({@code --kafka-port} from {@code TRACEMARK_KAFKA_PORT}), a flag winning over its variable.
 */
@Command
public final class StackFlags {
    @Option(names = "--repo", paramLabel = "<dir>", defaultValue = ".",
            description = "the repository whose built services are launched (default: ${DEFAULT-VALUE})")
    Path repo;
    @Option(names = "--data", paramLabel = "<dir>",
            description = "where Kafka, MongoDB, the chain-node tiles, keys and logs are kept (default: <repo>/data)")
    Path data;
    @Option(names = "--kafka-port", paramLabel = "N", defaultValue = "9092", description = "Kafka broker port, 0 = any free one (default: ${DEFAULT-VALUE})")
    int kafkaPort;
    @Option(names = "--kafka-controller-port", paramLabel = "N", defaultValue = "9093", description = "Kafka controller port (default: ${DEFAULT-VALUE})")
    int kafkaControllerPort;
    @Option(names = "--mongo-port", paramLabel = "N", defaultValue = "27017", description = "MongoDB-wire server port (default: ${DEFAULT-VALUE})")
    int mongoPort;
    @Option(names = "--verify-port", paramLabel = "N", defaultValue = "8080", description = "verify-service port (default: ${DEFAULT-VALUE})")
    int verifyPort;
    @Option(names = "--ingest-port", paramLabel = "N", defaultValue = "8081", description = "ingest-service port (default: ${DEFAULT-VALUE})")
    int ingestPort;
    @Option(names = "--attest-port", paramLabel = "N", defaultValue = "8082", description = "attest-service port (default: ${DEFAULT-VALUE})")
    int attestPort;
    @Option(names = "--chain-node-port", paramLabel = "N", defaultValue = "8083",
            description = "first chain-node replica's port; the next replicas take the ports after it (default: ${DEFAULT-VALUE})")
    int chainNodePort;
    @Option(names = "--chain-replicas", paramLabel = "N", defaultValue = "2", description = "chain-node replicas that cosign (default: ${DEFAULT-VALUE})")
    int chainReplicas;
    @Option(names = "--witnesses", arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "witness the log (C2SP tlog-witness): chain-node-2 cosigns as a witness too, and a standalone "
                    + "witness process with its own key; verify-service trusts both (default: ${DEFAULT-VALUE})")
    boolean witnesses;
    @Option(names = "--witness-port", paramLabel = "N", defaultValue = "0",
            description = "the standalone witness's port, 0 = any free one (default: ${DEFAULT-VALUE})")
    int witnessPort;
    @Option(names = "--external-tsa", paramLabel = "<authorities>", defaultValue = "",
            description = "external RFC 3161 authorities that time-stamp every checkpoint besides each replica's own TSA, "
                    + "comma-separated, each '<name> <url> <certificate PEM file>' (default: none)")
    String externalTsa;
    @Option(names = "--mongo-memory", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "keep MongoDB data in memory only (default: ${DEFAULT-VALUE})")
    boolean mongoMemory;
    @Option(names = "--service-jvm-options", paramLabel = "<options>", defaultValue = "-Xmx384m -XX:+UseSerialGC",
            description = "JVM options of every service process (default: ${DEFAULT-VALUE})")
    String serviceJvmOptions;
    @Option(names = "--infra-process", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "run Kafka and MongoDB in a child JVM, so that tests can kill them (default: ${DEFAULT-VALUE})")
    boolean infraProcess;
    @Option(names = "--verify-rate-limit", paramLabel = "N", defaultValue = "20",
            description = "public API requests per second per client on verify-service (default: ${DEFAULT-VALUE})")
    int verifyRateLimit;
    @Option(names = "--webhooks-allow-loopback", arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "let webhooks reach receivers on this machine (127.0.0.0/8, ::1); production refuses them "
                    + "(default: ${DEFAULT-VALUE})")
    boolean webhooksAllowLoopback;
    @Option(names = "--webhooks-retry-schedule", paramLabel = "<durations>", defaultValue = "",
            description = "attest's webhook retry schedule, e.g. 0s,1s,5s (default: attest's own)")
    String webhooksRetrySchedule;
    @Option(names = "--webhooks-timeout", paramLabel = "<duration>", defaultValue = "",
            description = "attest's per-attempt webhook timeout, e.g. 3s (default: attest's own)")
    String webhooksTimeout;

    /** Reads every flag's default from {@code env} (see the class comment). */
    public static EnvDefaults envDefaults(Map<String, String> env) {
        return new EnvDefaults(env, Map.of());
    }

    /** Whether {@code --data} (or {@code TRACEMARK_DATA}) was given. */
    public boolean dataDirGiven() {
        return data != null;
    }

    /** Keeps the stack's data in {@code dir}. */
    public void useDataDir(Path dir) {
        data = dir;
    }

    /** The options these flags describe. */
    public StackOptions toOptions() {
        if (chainReplicas < 1) {
            throw new IllegalArgumentException("--chain-replicas must be at least 1, not " + chainReplicas);
        }
        Path root = repo.toAbsolutePath().normalize();
        Path dataDir = (data != null ? data : root.resolve("data")).toAbsolutePath();
        List<Integer> chainPorts = new ArrayList<>();
        for (int i = 0; i < chainReplicas; i++) {
            chainPorts.add(chainNodePort == 0 ? 0 : chainNodePort + i);
        }
        return new StackOptions(root, dataDir, kafkaPort, kafkaControllerPort, mongoPort, verifyPort, ingestPort,
                attestPort, List.copyOf(chainPorts), mongoMemory, serviceJvmOptions, infraProcess, verifyRateLimit,
                new WebhookOptions(webhooksAllowLoopback, webhooksRetrySchedule, webhooksTimeout), witnesses, witnessPort,
                externalTsa.strip());
    }

    /** Parses stack flags alone (every other flag is refused), defaults from the process environment. */
    static StackOptions parse(String[] args) {
        @Command(name = "stack")
        final class Only {
            @CommandLine.Mixin
            StackFlags flags;
        }
        Only only = new Only();
        CommandLine cl = new CommandLine(only).setDefaultValueProvider(envDefaults(System.getenv()));
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return only.flags.toOptions();
    }
}
