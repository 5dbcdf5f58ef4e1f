package io.tracemark.infra;

import io.tracemark.infra.cli.EnvDefaults;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command-line and environment options of {@link InfraMain}; flags win over environment variables. */
record InfraOptions(Path dataDir, int kafkaPort, int controllerPort, int mongoPort,
        boolean mongoMemory, boolean ignoreStdin, boolean help) {

    static final int DEFAULT_KAFKA_PORT = 9092;
    static final int DEFAULT_CONTROLLER_PORT = 9093;
    static final int DEFAULT_MONGO_PORT = 27017;

    /** The flags as picocli declares them; environment variables are their defaults. */
    @Command(name = "tracemark-infra", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = {"Runs a KRaft Kafka broker (with the Tracemark topics) and a MongoDB-wire server until "
                    + "stdin closes or the process is terminated (SIGTERM, Ctrl-C).",
                    "Prints one TRACEMARK-INFRA-READY line on stdout once both accept connections."})
    static final class Flags {
        @Option(names = "--data", paramLabel = "<dir>",
                description = "kafka under <dir>/kafka, mongo H2 file under <dir>/mongo (TRACEMARK_DATA_DIR)")
        Path data;
        @Option(names = "--kafka-port", paramLabel = "N", defaultValue = "" + DEFAULT_KAFKA_PORT,
                description = "broker port, 0 = free port (TRACEMARK_KAFKA_PORT)")
        int kafkaPort;
        @Option(names = "--kafka-controller-port", paramLabel = "N", defaultValue = "" + DEFAULT_CONTROLLER_PORT,
                description = "controller port, 0 = free port (TRACEMARK_KAFKA_CONTROLLER_PORT)")
        int controllerPort;
        @Option(names = "--mongo-port", paramLabel = "N", defaultValue = "" + DEFAULT_MONGO_PORT,
                description = "mongo port, 0 = free port (TRACEMARK_MONGO_PORT)")
        int mongoPort;
        @Option(names = "--mongo-memory", description = "keep mongo data in memory only (TRACEMARK_MONGO_MEMORY=true)")
        boolean mongoMemory;
        @Option(names = "--ignore-stdin", description = "keep running when stdin closes, e.g. when started with '&' "
                + "(TRACEMARK_INFRA_IGNORE_STDIN=true)")
        boolean ignoreStdin;
    }

    static CommandLine commandLine(Map<String, String> env) {
        return new CommandLine(new Flags()).setDefaultValueProvider(new EnvDefaults(env,
                Map.of("--data", "TRACEMARK_DATA_DIR", "--ignore-stdin", "TRACEMARK_INFRA_IGNORE_STDIN")));
    }

    /** The usage text {@code --help} prints. */
    static String usage() {
        return commandLine(Map.of()).getUsageMessage();
    }

    static InfraOptions parse(String[] args, Map<String, String> env) {
        CommandLine cl = commandLine(env);
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Flags f = cl.getCommand();
        if (cl.isUsageHelpRequested() || cl.isVersionHelpRequested()) {
            return new InfraOptions(null, f.kafkaPort, f.controllerPort, f.mongoPort, f.mongoMemory, f.ignoreStdin, true);
        }
        if (f.data == null || f.data.toString().isBlank()) {
            throw new IllegalArgumentException("--data <dir> (or TRACEMARK_DATA_DIR) is required");
        }
        return new InfraOptions(f.data, port(f.kafkaPort, "--kafka-port"), port(f.controllerPort, "--kafka-controller-port"),
                port(f.mongoPort, "--mongo-port"), f.mongoMemory, f.ignoreStdin, false);
    }

    private static int port(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be a port number 0..65535, was '" + port + "'");
        }
        return port;
    }
}
