package io.tracemark.localstack.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** docker-compose.yml as parsed YAML (merge keys resolved), with the few typed views the checks need. */
final class ComposeFile {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    final Map<String, Object> doc;
    final Map<String, Map<String, Object>> services;

    @SuppressWarnings("unchecked")
    private ComposeFile(Map<String, Object> doc) {
        this.doc = doc;
        this.services = (Map<String, Map<String, Object>>) doc.get("services");
    }

    static ComposeFile load() {
        LoaderOptions opts = new LoaderOptions();
        opts.setMaxAliasesForCollections(200);
        try {
            return new ComposeFile(new Yaml(opts).load(Files.readString(REPO.resolve("docker-compose.yml"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(String relative) {
        try {
            return Files.readString(REPO.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A top-level section ({@code volumes}, {@code secrets}) by name. */
    @SuppressWarnings("unchecked")
    Map<String, Object> section(String name) {
        Object s = doc.get(name);
        return s == null ? Map.of() : (Map<String, Object>) s;
    }

    static Map<?, ?> environment(Map<String, Object> svc) {
        return svc.get("environment") instanceof Map<?, ?> m ? m : Map.of();
    }

    /** {@code volume:/target} entries of a service as target path to volume name. */
    static Map<String, String> volumeMounts(Map<String, Object> svc) {
        Map<String, String> mounts = new java.util.HashMap<>();
        if (svc.get("volumes") instanceof List<?> l) {
            for (Object v : l) {
                String[] parts = v.toString().split(":");
                if (parts.length >= 2) {
                    mounts.put(parts[1], parts[0]);
                }
            }
        }
        return mounts;
    }

    /** The in-container paths of the secrets a service mounts (short and long syntax). */
    static List<String> secretPaths(Map<String, Object> svc) {
        if (!(svc.get("secrets") instanceof List<?> l)) {
            return List.of();
        }
        return l.stream().map(s -> s instanceof Map<?, ?> m
                ? "/run/secrets/" + (m.get("target") != null ? m.get("target") : m.get("source"))
                : "/run/secrets/" + s).toList();
    }

    /** The names of the secrets a service mounts. */
    static List<String> secretNames(Map<String, Object> svc) {
        if (!(svc.get("secrets") instanceof List<?> l)) {
            return List.of();
        }
        return l.stream().map(s -> s instanceof Map<?, ?> m ? m.get("source").toString() : s.toString()).toList();
    }

    /** A one-shot job (creates topics, initialises the replica set) rather than a long-running service. */
    static boolean oneShot(Map<String, Object> svc) {
        return "no".equals(String.valueOf(svc.get("restart")));
    }
}
