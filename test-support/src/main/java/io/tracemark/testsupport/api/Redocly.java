package io.tracemark.testsupport.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs {@code redocly lint} (npm {@code @redocly/cli}, the version pinned in {@code tools/redocly/package.json},
 * installed by {@code ./tracemark test-tools}) with the repository's {@code redocly.yaml} on an OpenAPI document.
 */
public final class Redocly {
    private Redocly() {
    }

    /** Fails with the linter's report unless it finds no error in {@code spec}. */
    public static void assertLintsWithoutErrors(Path spec) {
        Path root = Repository.root();
        Path cli = root.resolve("tools/redocly/node_modules/.bin/redocly");
        if (!Files.isExecutable(cli)) {
            fail(cli + " is missing: install it with ./tracemark test-tools (npm ci in tools/redocly; CI's .ci/run does)");
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(cli.toString(), "lint", "--config", root.resolve("redocly.yaml").toString(),
                    "--format", "stylish", spec.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .directory(root.toFile());
            // No telemetry or update check: CI reaches only the package registries.
            pb.environment().put("REDOCLY_TELEMETRY", "off");
            pb.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("redocly lint did not finish in 120 s:\n" + out);
            }
            assertEquals(0, p.exitValue(), "redocly lint found errors in " + spec + ":\n" + out);
        } catch (IOException e) {
            fail("could not run " + cli + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while linting " + spec);
        }
    }
}
