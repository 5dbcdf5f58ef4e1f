package io.tracemark.localstack;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ./tracemark up}: the whole system on this machine until Ctrl-C. */
@Command(name = "tracemark up", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts a Kafka broker (KRaft) and a MongoDB-wire server in this JVM, then chain-node replicas, "
                + "ingest-service, attest-service and verify-service as child processes, and waits for their "
                + "health checks. Ctrl-C stops everything.",
                "Every flag can also be set by the environment variable named after it: --kafka-port by "
                + "TRACEMARK_KAFKA_PORT, --data by TRACEMARK_DATA, and so on; a flag wins."},
        footerHeading = "%nFiles in the data directory:%n",
        footer = {"  admin-api-key   the operator's admin key (mode 600): issues tenant API keys on ingest's admin API",
                "  demo-api-key    the demo tenant's API key (read, write)",
                "  logs/           one log per service, and Kafka's and MongoDB's",
                "  chain-node-N/   each replica's tiles, blocks, time-stamps and keys (keys/note-signer.key, mode 600)",
                "  witness/        the standalone witness's cosigner key (cosigner.key, mode 600) and what it cosigned",
                "%nExit status: 0 stopped, 2 usage error, 3 a port is taken, 1 failed to start."})
final class UpCommand implements Callable<Integer> {
    static final int PORT_IN_USE = 3;

    @Mixin
    StackFlags flags;

    /** The command with every flag's default read from {@code env}. */
    static CommandLine commandLine(Map<String, String> env) {
        return new CommandLine(new UpCommand()).setDefaultValueProvider(StackFlags.envDefaults(env))
                .setExecutionExceptionHandler((e, cl, parsed) -> {
                    cl.getErr().println("tracemark: " + e.getMessage());
                    return 1;
                });
    }

    @Override
    public Integer call() throws Exception {
        return LocalStack.runUntilStopped(flags.toOptions());
    }
}
