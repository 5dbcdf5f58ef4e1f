package io.tracemark.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.tracemark.infra.InfraProcess;

/**
 * One Kafka + Mongo for the whole test JVM, started on first use in a child JVM and stopped when
 * the test JVM exits.
 *
 * <p>Sharing matters on a 2-core machine: a broker per test class would cost seconds each. Tests
 * stay isolated through unique database names and by filtering records, not by separate brokers.
 */
public final class SharedInfra {

    private static InfraProcess infra;
    private static RuntimeException startFailure;

    private SharedInfra() {
    }

    /** Returns the running infra, starting it (in-memory Mongo, free ports) on the first call. */
    public static synchronized InfraProcess get() {
        if (startFailure != null) {
            // Fail every later test fast with the original cause instead of waiting out another timeout.
            throw new IllegalStateException("shared Tracemark infra failed to start earlier in this JVM: "
                    + startFailure.getMessage(), startFailure);
        }
        if (infra == null) {
            Path dataDir = newDataDir();
            try {
                InfraProcess.Builder b = InfraProcess.builder().dataDir(dataDir).mongoInMemory(true);
                // Benchmarks raise the child's heap and JIT tier this way; tests keep the small, fast-starting default.
                String jvm = System.getProperty("tracemark.infra.jvm-options", "").trim();
                if (!jvm.isEmpty()) {
                    b.jvmOptions(List.of(jvm.split("\\s+")));
                }
                infra = b.start();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
            System.err.println("[tracemark-test] shared infra up in " + infra.startupMillis() + " ms: kafka="
                    + infra.kafkaBootstrap() + " mongo=" + infra.mongoConnectionString() + " log=" + infra.logFile());
            InfraProcess started = infra;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(started), "tracemark-shared-infra-stop"));
        }
        return infra;
    }

    /** Kafka bootstrap servers of the shared infra, starting it if needed. */
    public static String kafkaBootstrap() {
        return get().kafkaBootstrap();
    }

    /** Mongo connection string of the shared infra, starting it if needed. */
    public static String mongoConnectionString() {
        return get().mongoConnectionString();
    }

    private static void stop(InfraProcess process) {
        process.close();
        // Keep infra.log for post-mortems; the broker's data is worthless once the JVM is gone.
        deleteQuietly(process.dataDir().resolve("kafka"));
    }

    private static Path newDataDir() {
        String name = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + "-" + ProcessHandle.current().pid();
        try {
            // Under target/ when run by Maven, so `mvn clean` removes it and the log sits next to surefire's.
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                return Files.createDirectories(target.resolve("tracemark-infra").resolve(name)).toAbsolutePath();
            }
            return Files.createTempDirectory("tracemark-infra-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a data dir for the shared Tracemark infra", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("[tracemark-test] could not delete " + dir + ": " + e);
        }
    }
}
