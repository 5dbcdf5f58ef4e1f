package io.tracemark.infra;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link InfraMain} running in a child JVM, so Kafka's Scala and Jackson dependencies never share a
 * classpath with the caller (typically a Quarkus test).
 */
public final class InfraProcess implements AutoCloseable {

    /** JVM options used unless {@link Builder#jvmOptions(List)} says otherwise; sized for a 2-core laptop. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of(
            "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");

    private static final int TAIL_LINES = 40;
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(20);
    private static final Duration TERM_STOP = Duration.ofSeconds(10);

    private final Process process;
    private final Path dataDir;
    private final Path logFile;
    private final String kafkaBootstrap;
    private final String mongoConnectionString;
    private final long startupMillis;

    private InfraProcess(Process process, Path dataDir, Path logFile, String kafkaBootstrap,
            String mongoConnectionString, long startupMillis) {
        this.process = process;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.kafkaBootstrap = kafkaBootstrap;
        this.mongoConnectionString = mongoConnectionString;
        this.startupMillis = startupMillis;
    }

    /** A builder with free ports, an H2-backed Mongo, and a fresh temporary data dir. */
    public static Builder builder() {
        return new Builder();
    }

    /** Kafka bootstrap servers, e.g. {@code 127.0.0.1:40123}. */
    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    /** Mongo connection string, e.g. {@code mongodb://127.0.0.1:40124}. */
    public String mongoConnectionString() {
        return mongoConnectionString;
    }

    /** OS process id of the child JVM. */
    public long pid() {
        return process.pid();
    }

    /** Whether the child JVM is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The data directory passed to the child. */
    public Path dataDir() {
        return dataDir;
    }

    /** The file receiving the child's stdout and stderr. */
    public Path logFile() {
        return logFile;
    }

    /** Wall-clock time from launch to the READY line. */
    public long startupMillis() {
        return startupMillis;
    }

    /** Kills the child with SIGKILL, without any cleanup; meant for crash-recovery tests. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(process, Duration.ofSeconds(10));
    }

    /** Stops the child gracefully (closes its stdin, then SIGTERM), and SIGKILLs it if it hangs. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // The pipe is already broken, so the child has seen EOF or is dying anyway.
        }
        if (awaitExit(process, GRACEFUL_STOP)) {
            return;
        }
        process.destroy();
        if (!awaitExit(process, TERM_STOP)) {
            process.destroyForcibly();
            awaitExit(process, TERM_STOP);
        }
    }

    private static boolean awaitExit(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Options for launching the child; every port defaults to 0 (a free port). */
    public static final class Builder {
        private Path dataDir;
        private int kafkaPort;
        private int controllerPort;
        private int mongoPort;
        private boolean mongoInMemory;
        private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
        private Duration startupTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** Where Kafka, Mongo and {@code infra.log} live; defaults to a new temporary directory. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** Kafka broker port, 0 for a free one. */
        public Builder kafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        /** Kafka controller port, 0 for a free one. */
        public Builder controllerPort(int port) {
            this.controllerPort = port;
            return this;
        }

        /** Mongo port, 0 for a free one. */
        public Builder mongoPort(int port) {
            this.mongoPort = port;
            return this;
        }

        /** Keep Mongo data in memory instead of an H2 file under the data dir. */
        public Builder mongoInMemory(boolean inMemory) {
            this.mongoInMemory = inMemory;
            return this;
        }

        /** JVM options for the child, replacing {@link #DEFAULT_JVM_OPTIONS}. */
        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        /** How long to wait for the READY line; default 60 s. */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = timeout;
            return this;
        }

        /** Launches the child and blocks until it reports ready, failing with the tail of its log otherwise. */
        public InfraProcess start() {
            Path dir;
            Path log;
            try {
                dir = (dataDir != null ? dataDir : Files.createTempDirectory("tracemark-infra-")).toAbsolutePath();
                Files.createDirectories(dir);
                log = dir.resolve("infra.log");
            } catch (IOException e) {
                throw new UncheckedIOException("could not create the infra data dir", e);
            }
            ProcessBuilder pb = new ProcessBuilder(command(dir)).redirectErrorStream(true);
            // Flags are authoritative; stray TRACEMARK_* variables in the caller's environment must not win.
            pb.environment().keySet().removeIf(name -> name.startsWith("TRACEMARK_"));

            long launched = System.nanoTime();
            LogPump pump;
            Process process;
            try {
                pump = new LogPump(log);
                process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not launch the infra JVM: " + pb.command().get(0), e);
            }
            pump.start(process);
            String ready = awaitReady(process, pump, log);
            long millis = (System.nanoTime() - launched) / 1_000_000;
            return new InfraProcess(process, dir, log, field(ready, "kafka="), field(ready, "mongo="), millis);
        }

        private List<String> command(Path dir) {
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(jvmOptions);
            cmd.add("-cp");
            cmd.add(InfraClasspath.resolve());
            cmd.add(InfraMain.class.getName());
            cmd.addAll(List.of("--data", dir.toString(),
                    "--kafka-port", String.valueOf(kafkaPort),
                    "--kafka-controller-port", String.valueOf(controllerPort),
                    "--mongo-port", String.valueOf(mongoPort)));
            if (mongoInMemory) {
                cmd.add("--mongo-memory");
            }
            return cmd;
        }

        private String awaitReady(Process process, LogPump pump, Path log) {
            try {
                return pump.ready.get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                process.destroyForcibly();
                throw new IllegalStateException("Tracemark infra (Kafka + Mongo) did not become ready within "
                        + startupTimeout.toSeconds() + "s; last lines of " + log + ":\n" + pump.tail());
            } catch (ExecutionException e) {
                awaitExit(process, Duration.ofSeconds(5));
                String exit = process.isAlive() ? "closed its output" : "exited with code " + process.exitValue();
                throw new IllegalStateException("Tracemark infra " + exit + " before becoming ready; last lines of "
                        + log + ":\n" + pump.tail());
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Tracemark infra to start", e);
            }
        }

        private static String field(String readyLine, String key) {
            for (String token : readyLine.split("\\s+")) {
                if (token.startsWith(key)) {
                    return token.substring(key.length());
                }
            }
            throw new IllegalStateException("READY line lacks '" + key + "': " + readyLine);
        }
    }

    /** Copies the child's merged output into the log file, remembering a tail and spotting the READY line. */
    private static final class LogPump {
        final CompletableFuture<String> ready = new CompletableFuture<>();
        private final Deque<String> tail = new ArrayDeque<>();
        private final BufferedWriter out;

        LogPump(Path log) throws IOException {
            out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            out.write("=== " + Instant.now() + " launching " + InfraMain.class.getSimpleName() + System.lineSeparator());
            out.flush();
        }

        void start(Process process) {
            Thread thread = new Thread(() -> pump(process), "tracemark-infra-log-" + process.pid());
            // Must keep draining after READY, or the child blocks once the pipe buffer fills.
            thread.setDaemon(true);
            thread.start();
        }

        private void pump(Process process) {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    BufferedWriter writer = out) {
                String line;
                while ((line = in.readLine()) != null) {
                    writer.write(line);
                    writer.newLine();
                    writer.flush();
                    remember(line);
                    if (line.startsWith(InfraMain.READY_PREFIX)) {
                        ready.complete(line);
                    }
                }
            } catch (IOException e) {
                remember("(log pump stopped: " + e + ")");
            }
            ready.completeExceptionally(new IllegalStateException("infra output ended"));
        }

        private synchronized void remember(String line) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }

        synchronized String tail() {
            return tail.isEmpty() ? "(no output)" : String.join(System.lineSeparator(), tail);
        }
    }
}
