package io.tracemark.localstack.load;

import io.tracemark.infra.cli.EnvDefaults;
import io.tracemark.localstack.StackFlags;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * The load driver's command line: its own flags ({@link LoadFlags}) and the local stack's
 * ({@link StackFlags}). Unlike {@code ./tracemark up} it picks free ports, lifts verify's rate limit
 * and keeps its data in a fresh temporary directory unless told otherwise.
 */
@Command(name = "load-driver", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts a fresh local stack, sends a mix of records over Kafka and HTTP, follows them until "
                + "every one is anchored, checks every receipt offline and reports throughput, latency and "
                + "lost / duplicated / unverifiable counts beside the machine's bounds.",
                "Stack flags also read the environment variable named after them (TRACEMARK_REPO, ...); "
                + "ports and the verify rate limit keep the load driver's defaults unless given as flags."},
        footer = "%nExit status: 0 clean run, 1 a record lost, duplicated or unverifiable (or a failure), 2 usage error.")
final class LoadCommand implements Callable<Integer> {
    /** The load driver's own defaults for stack flags: free ports, no rate limit on verify, a loopback webhook receiver. */
    static final Map<String, String> STACK_DEFAULTS = Map.of("--kafka-port", "0", "--kafka-controller-port", "0",
            "--mongo-port", "0", "--verify-port", "0", "--ingest-port", "0", "--attest-port", "0",
            "--chain-node-port", "0", "--verify-rate-limit", "1000000", "--webhooks-allow-loopback", "true");

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    LoadFlags load;
    @Mixin
    StackFlags stack;

    static CommandLine commandLine(Map<String, String> env) {
        EnvDefaults fromEnv = StackFlags.envDefaults(env);
        Set<String> loadFlags = CommandLine.Model.CommandSpec.forAnnotatedObject(new LoadFlags()).optionsMap().keySet();
        return new CommandLine(new LoadCommand()).setDefaultValueProvider(arg -> {
            if (!(arg instanceof CommandLine.Model.OptionSpec o) || loadFlags.contains(o.longestName())) {
                return null;
            }
            return STACK_DEFAULTS.containsKey(o.longestName()) ? STACK_DEFAULTS.get(o.longestName()) : fromEnv.defaultValue(arg);
        });
    }

    @Override
    public Integer call() throws Exception {
        if (!stack.dataDirGiven()) {
            stack.useDataDir(Files.createTempDirectory("tracemark-load"));
        }
        return LoadDriver.runOnFreshStack(stack.toOptions(), load.toOptions(),
                String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    }
}
