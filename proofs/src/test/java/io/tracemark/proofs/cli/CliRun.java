package io.tracemark.proofs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the verifier CLI in process and writes its input files, for the CLI tests. */
final class CliRun {
    private CliRun() {
    }

    /** The exit code and the one line the CLI printed. */
    record Result(int exit, String line) {
    }

    /** Runs the CLI with {@code args}; it must print exactly one line. */
    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = VerifyCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), "exactly one line: " + text);
        return new Result(exit, text.strip());
    }

    /** Writes {@code content} to {@code name} in {@code dir}. */
    static Path write(Path dir, String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
