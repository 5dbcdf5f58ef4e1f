package io.tracemark.localstack;

import io.tracemark.testsupport.tsa.OpensslTsa;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The whole local stack that the end-to-end test classes of one test JVM share (two chain-node replicas, a
 * witness, an RFC 3161 authority outside Tracemark's code): starting one costs 30 to 60 s, so it is started once,
 * by the first class that asks, and stopped when the JVM exits. Tests that stop or kill parts of it must leave
 * it running again; the fault suite, which breaks everything on purpose, starts its own.
 *
 * @param stack         the running stack
 * @param data          its data directory (logs, demo API key)
 * @param independentTsa the external time-stamping authority its replicas are configured with
 * @param progress      what the launcher printed while starting it
 */
record EndToEndStack(LocalStack stack, Path data, OpensslTsa independentTsa, String progress) {
    private static EndToEndStack shared;

    /** The shared stack, started on first use. */
    static synchronized EndToEndStack get() throws Exception {
        if (shared == null) {
            shared = start();
            EndToEndStack s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "end-to-end-stack-stop"));
        }
        return shared;
    }

    private static EndToEndStack start() throws Exception {
        if (!OpensslTsa.available()) {
            throw new IllegalStateException("openssl is not installed: run ./tracemark test-tools");
        }
        Path data = Files.createTempDirectory("tracemark-e2e-");
        OpensslTsa tsa = OpensslTsa.start("Independent Test TSA");
        StackOptions o = StackOptions.fromArgs(new String[]{"--repo", "..", "--data", data.toString(),
                "--kafka-port", "0", "--kafka-controller-port", "0", "--mongo-port", "0", "--verify-port", "0",
                "--ingest-port", "0", "--attest-port", "0", "--chain-node-port", "0", "--chain-replicas", "2",
                "--witness-port", "0",
                "--external-tsa", "independent " + tsa.url() + " " + tsa.certificateFile()});
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        LocalStack stack = LocalStack.start(o, new PrintStream(progress, true, StandardCharsets.UTF_8));
        return new EndToEndStack(stack, data, tsa, progress.toString(StandardCharsets.UTF_8));
    }

    private void close() {
        try {
            stack.close();
        } finally {
            independentTsa.close();
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
