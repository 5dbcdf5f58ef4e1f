package io.tracemark.infra;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs Kafka (with the Tracemark topics) and Mongo until stdin closes or the process is terminated.
 *
 * <p>Prints exactly one {@value #READY_PREFIX} line on stdout once both accept connections; all
 * diagnostics go to stderr so that line stays machine-readable.
 */
public final class InfraMain {

    /** Start of the single stdout line announcing that the infra is up. */
    public static final String READY_PREFIX = "TRACEMARK-INFRA-READY";

    static final int EXIT_USAGE = 2;
    static final int EXIT_PORT_IN_USE = 3;
    static final int EXIT_FAILED = 1;


    private static final Object LOCK = new Object();
    private static EmbeddedKafka kafka;
    private static EmbeddedMongo mongo;
    private static boolean stopping;

    private InfraMain() {
    }

    /** Entry point; see the class comment for the protocol. */
    public static void main(String[] args) throws InterruptedException {
        configureLogging();
        InfraOptions options;
        try {
            options = InfraOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("tracemark-infra: " + e.getMessage());
            System.err.print(InfraOptions.usage());
            System.exit(EXIT_USAGE);
            return;
        }
        if (options.help()) {
            System.out.print(InfraOptions.usage());
            return;
        }

        Runtime.getRuntime().addShutdownHook(new Thread(InfraMain::stop, "tracemark-infra-shutdown"));
        // Watch before starting: a parent that dies during the boot must not leave an orphan behind.
        if (!options.ignoreStdin()) {
            watchStdin();
        }
        try {
            start(options);
        } catch (PortInUseException e) {
            System.err.println("tracemark-infra: " + e.getMessage());
            System.exit(EXIT_PORT_IN_USE);
        } catch (RuntimeException e) {
            if (isStopping()) {
                // Terminated mid-startup: the failure is a consequence, and exit() would deadlock with the hook.
                return;
            }
            System.err.println("tracemark-infra: startup failed: " + e.getMessage());
            e.printStackTrace();
            System.exit(EXIT_FAILED);
        }
        // Kafka's own threads would keep the JVM alive too, but we should not depend on that.
        new CountDownLatch(1).await();
    }

    private static void start(InfraOptions options) {
        long started = System.nanoTime();
        // Resolve every port before starting anything, so a conflict fails in milliseconds, not after Kafka boots.
        Map<String, Integer> requested = new LinkedHashMap<>();
        requested.put("kafka", options.kafkaPort());
        requested.put("kafka controller", options.controllerPort());
        requested.put("mongo", options.mongoPort());
        Map<String, Integer> ports = Ports.resolveAll(requested);
        int kafkaPort = ports.get("kafka");
        int controllerPort = ports.get("kafka controller");
        int mongoPort = ports.get("mongo");
        Path dataDir = options.dataDir().toAbsolutePath();

        synchronized (LOCK) {
            if (stopping) {
                return;
            }
            mongo = options.mongoMemory()
                    ? EmbeddedMongo.startInMemory(Ports.LOOPBACK, mongoPort)
                    : EmbeddedMongo.startH2(EmbeddedMongo.defaultH2File(dataDir), Ports.LOOPBACK, mongoPort);
            kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), kafkaPort, controllerPort);
        }
        kafka.createTopics(TracemarkTopics.defaults());
        if (isStopping()) {
            return;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.err.println("tracemark-infra: up in " + millis + " ms (data " + dataDir
                + (options.mongoMemory() ? ", mongo in memory" : "") + ")");
        System.out.println(READY_PREFIX + " kafka=" + kafka.bootstrapServers() + " mongo=" + mongo.connectionString());
        System.out.flush();
    }

    private static boolean isStopping() {
        synchronized (LOCK) {
            return stopping;
        }
    }

    private static void stop() {
        synchronized (LOCK) {
            stopping = true;
            // Kafka first, so services stop receiving work before their database goes away.
            if (kafka != null) {
                try {
                    kafka.close();
                } catch (RuntimeException e) {
                    System.err.println("tracemark-infra: kafka did not stop cleanly: " + e);
                }
            }
            if (mongo != null) {
                try {
                    mongo.close();
                } catch (RuntimeException e) {
                    System.err.println("tracemark-infra: mongo did not stop cleanly: " + e);
                }
            }
            System.err.println("tracemark-infra: stopped");
        }
    }

    private static void watchStdin() {
        Thread watcher = new Thread(() -> {
            byte[] buffer = new byte[256];
            try {
                InputStream in = System.in;
                while (in.read(buffer) != -1) {
                    // Input is ignored; only end-of-stream matters.
                }
            } catch (IOException e) {
                // A broken stdin means the parent is gone, which is the same signal as EOF.
            }
            System.err.println("tracemark-infra: stdin closed, shutting down (use --ignore-stdin to run detached)");
            System.exit(0);
        }, "tracemark-infra-stdin-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void configureLogging() {
        // Kafka at INFO writes hundreds of lines per start; warnings are what a developer needs to see.
        Map<String, String> defaults = Map.of(
                "org.slf4j.simpleLogger.defaultLogLevel", "warn",
                "org.slf4j.simpleLogger.showDateTime", "true",
                "org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS",
                "org.slf4j.simpleLogger.showShortLogName", "true");
        defaults.forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
    }
}
