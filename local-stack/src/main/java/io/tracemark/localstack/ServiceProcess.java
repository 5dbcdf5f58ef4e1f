package io.tracemark.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Tracemark service running as a child JVM from its packaged {@code quarkus-app}: a Quarkus service, or a
 * plain main class on that module's class path (the standalone witness), which has no health endpoints.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String name;
    private final int port;
    private final Process process;
    private final Path log;
    private final Relaunch relaunch;

    /**
     * How to start the same service again on the same port with the same environment.
     *
     * @param mainClass the plain main class to run, or null for the module's Quarkus runner
     */
    private record Relaunch(Path repoRoot, String module, String mainClass, Map<String, String> env, String jvmOptions,
                            Path logDir) {
    }

    private ServiceProcess(String name, int port, Process process, Path log, Relaunch relaunch) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
        this.relaunch = relaunch;
    }

    /** Starts a fresh process of this service (after it was killed or stopped). */
    public ServiceProcess restart() throws IOException {
        return start(name, port, relaunch);
    }

    /** Launches {@code <module>/target/quarkus-app/quarkus-run.jar} with the given environment. */
    public static ServiceProcess launch(String name, Path repoRoot, String module, int port, Map<String, String> env,
                                        String jvmOptions, Path logDir) throws IOException {
        return start(name, port, new Relaunch(repoRoot, module, null, Map.copyOf(env), jvmOptions, logDir));
    }

    /**
     * Launches {@code mainClass} from {@code <module>/target/quarkus-app}'s application and library jars with the
     * given environment; such a process has no Quarkus health checks, so it counts as ready once it answers HTTP.
     */
    public static ServiceProcess launchMain(String name, Path repoRoot, String module, String mainClass, int port,
                                            Map<String, String> env, String jvmOptions, Path logDir) throws IOException {
        return start(name, port, new Relaunch(repoRoot, module, mainClass, Map.copyOf(env), jvmOptions, logDir));
    }

    private static ServiceProcess start(String name, int port, Relaunch how) throws IOException {
        Path app = how.repoRoot().resolve(how.module()).resolve("target/quarkus-app");
        Path jar = app.resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found: build first with 'mvn -DskipTests package'");
        }
        Path logDir = how.logDir();
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String opt : how.jvmOptions().trim().split("\\s+")) {
            if (!opt.isEmpty()) {
                cmd.add(opt);
            }
        }
        if (how.mainClass() == null) {
            cmd.add("-jar");
            cmd.add(jar.toString());
        } else {
            // The services' own logging setup, as quarkus-run.jar would have it.
            cmd.add("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
            cmd.add("-cp");
            cmd.add(String.join(java.io.File.pathSeparator, app.resolve("app") + "/*", app.resolve("lib/main") + "/*",
                    app.resolve("lib/boot") + "/*"));
            cmd.add(how.mainClass());
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(how.env());
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        return new ServiceProcess(name, port, pb.start(), log, how);
    }

    /** Wraps a process started elsewhere (tests watch plain processes this way). */
    static ServiceProcess adopt(String name, int port, Process process, Path log) {
        return new ServiceProcess(name, port, process, log, null);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status of the ended process (-1 while it runs). */
    public int exitValue() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /**
     * Whether the process ended on SIGINT (exit status 128 + 2), as the services do when Ctrl-C in the
     * terminal reaches every process of the foreground group, not only the launcher.
     */
    public boolean endedByCtrlC() {
        return !process.isAlive() && process.exitValue() == 130;
    }

    /** The service's base URL on loopback. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Whether it serves Quarkus's {@code /q/health}, {@code /q/metrics} and {@code /q/openapi} (a plain main class does not). */
    public boolean quarkusService() {
        return relaunch == null || relaunch.mainClass() == null;
    }

    /** Whether {@code /q/health/ready} answers UP now (for a plain main class: whether it answers HTTP at all). */
    public boolean ready() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + (quarkusService() ? "/q/health/ready" : "/")))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return !quarkusService() || r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Kills the process at once (SIGKILL), as a crash would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the service to stop (SIGTERM, so Quarkus shuts down gracefully), then forces it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(Duration.ofSeconds(20).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
