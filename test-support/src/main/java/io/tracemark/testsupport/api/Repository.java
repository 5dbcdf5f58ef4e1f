package io.tracemark.testsupport.api;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout a test runs in: the first directory upwards from the working directory holding the {@code tracemark} script. */
final class Repository {
    private Repository() {
    }

    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("tracemark")) && Files.isDirectory(p.resolve("docs"))) {
                return p;
            }
        }
        throw new IllegalStateException("not inside a Tracemark checkout: " + Path.of("").toAbsolutePath());
    }
}
