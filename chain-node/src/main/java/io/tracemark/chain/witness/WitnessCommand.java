package io.tracemark.chain.witness;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The standalone witness's command line. Each flag's default is the {@code tracemark.witness.*} system
 * property or {@code TRACEMARK_WITNESS_*} environment variable of the same name, as for the embedded witness.
 */
@Command(name = "standalone-witness", mixinStandardHelpOptions = true,
        description = {"Serves a C2SP tlog-witness (POST /add-checkpoint, GET /<origin hash>/checkpoint) with its "
                + "own key and state until stopped.",
                "Each flag can also be set as the system property tracemark.witness.<flag> or the environment "
                + "variable TRACEMARK_WITNESS_<FLAG> (e.g. --data-dir: TRACEMARK_WITNESS_DATA_DIR); a flag wins."})
final class WitnessCommand implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "<dir>", defaultValue = "data/witness",
            description = "the witness's key and cosigned checkpoints (default: ${DEFAULT-VALUE})")
    Path dataDir;
    @Option(names = "--key-name", paramLabel = "<name>", defaultValue = "tracemark.local/witness",
            description = "the witness's signed-note key name (default: ${DEFAULT-VALUE})")
    String keyName;
    @Option(names = "--signing-key", paramLabel = "<skey>",
            description = "the cosigner's private key (default: cosigner.key in the data dir, created on first start)")
    String signingKey;
    @Option(names = "--logs", paramLabel = "<origin vkey...>",
            description = "logs to witness, comma-separated, each '<origin> <vkey> [<vkey>...]'")
    String logs;
    @Option(names = "--port", paramLabel = "N", defaultValue = "8085", description = "HTTP port, 0 = any free one (default: ${DEFAULT-VALUE})")
    int port;

    static CommandLine commandLine() {
        return new CommandLine(new WitnessCommand()).setDefaultValueProvider(arg ->
                arg instanceof CommandLine.Model.OptionSpec o ? setting(o.longestName().substring(2)).orElse(null) : null);
    }

    /** The settings these flags describe. */
    WitnessSettings settings() {
        List<String> trusted = logs == null ? List.of()
                : Arrays.stream(logs.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        return new WitnessSettings(dataDir, keyName, Optional.ofNullable(signingKey).filter(s -> !s.isBlank()), trusted);
    }

    @Override
    public Integer call() throws InterruptedException {
        StandaloneWitness w = StandaloneWitness.start(settings(), port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            w.close();
            stopped.countDown();
        }, "witness-shutdown"));
        stopped.await();
        return 0;
    }

    static Optional<String> setting(String name) {
        String v = System.getProperty("tracemark.witness." + name);
        if (v == null) {
            v = System.getenv("TRACEMARK_WITNESS_" + name.toUpperCase().replace('-', '_'));
        }
        return Optional.ofNullable(v).filter(s -> !s.isBlank());
    }
}
