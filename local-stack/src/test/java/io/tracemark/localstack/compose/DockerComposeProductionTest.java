package io.tracemark.localstack.compose;

import io.tracemark.proofs.note.NoteKeys;
import io.tracemark.proofs.note.NoteSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What running docker-compose.yml in production needs, checked from the file since no Docker engine runs
 * here: data on volumes, restart policies, pinned images, secrets as Docker secrets, MongoDB with auth,
 * scalable services behind one edge, one multi-stage Dockerfile, health and metrics off the public side.
 */
class DockerComposeProductionTest {
    /** An exact release tag (1.28.0, 17.0.16_8-jre, 3.9.11-eclipse-temurin-17) or a digest. */
    private static final Pattern PINNED = Pattern.compile("[^:@\\s]+(:\\d+\\.\\d+\\.\\d+[-_.a-z0-9]*)?(@sha256:[0-9a-f]{64})?");
    private static final List<String> SCALABLE = List.of("ingest-service", "attest-service", "verify-service");
    private static ComposeFile compose;

    @BeforeAll
    static void load() {
        compose = ComposeFile.load();
    }

    private static void assertPinned(String where, String image) {
        Matcher m = PINNED.matcher(image);
        assertTrue(m.matches() && (m.group(1) != null || m.group(2) != null),
                where + " uses " + image + ": pin an exact version tag (x.y.z) or a digest");
    }

    @Test
    void kafkaMongoAndChainNodeKeepTheirDataOnNamedVolumes() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> declared = compose.section("volumes");
        compose.services.forEach((name, svc) -> {
            Map<String, String> mounts = ComposeFile.volumeMounts(svc);
            mounts.values().stream().filter(v -> !v.startsWith(".") && !v.startsWith("/") && !declared.containsKey(v))
                    .forEach(v -> problems.add(name + " mounts undeclared volume " + v));
            String image = String.valueOf(svc.get("image"));
            Map<?, ?> env = ComposeFile.environment(svc);
            if (image.startsWith("apache/kafka") && !ComposeFile.oneShot(svc)) {
                Object logDirs = env.get("KAFKA_LOG_DIRS");
                if (logDirs == null || !mounts.containsKey(logDirs.toString())) {
                    problems.add(name + ": KAFKA_LOG_DIRS (" + logDirs + ") is not a mounted volume " + mounts.keySet());
                }
            }
            if (image.startsWith("mongo") && !ComposeFile.oneShot(svc) && !mounts.containsKey("/data/db")) {
                problems.add(name + ": MongoDB's /data/db is not on a volume");
            }
            if (name.startsWith("chain-node") && !mounts.containsKey(String.valueOf(env.get("TRACEMARK_CHAIN_DATA_DIR")))) {
                problems.add(name + ": the tiles directory " + env.get("TRACEMARK_CHAIN_DATA_DIR") + " is not on a volume");
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals(8, declared.size(), "three Kafka, three MongoDB and two chain-node volumes: " + declared.keySet());
    }

    @Test
    void everyLongRunningServiceRestartsAndEveryOneShotJobDoesNot() {
        compose.services.forEach((name, svc) -> {
            Object restart = svc.get("restart");
            assertTrue(restart != null, name + " has no restart policy");
            if (name.endsWith("-init")) {
                assertEquals("no", restart.toString(), name + " is a one-shot job");
            } else {
                assertTrue(List.of("always", "unless-stopped").contains(restart.toString()), name + " restarts " + restart);
            }
        });
    }

    @Test
    void everyImageIsPinnedToAnExactVersionInComposeAndDockerfile() {
        compose.services.forEach((name, svc) -> {
            if (svc.get("image") != null) {
                assertPinned(name, svc.get("image").toString());
            } else {
                assertTrue(svc.get("build") != null, name + " has neither image nor build");
            }
        });
        List<String> froms = ComposeFile.read("Dockerfile").lines().filter(l -> l.startsWith("FROM ")).toList();
        assertTrue(froms.size() >= 2, "a multi-stage Dockerfile: " + froms);
        froms.forEach(f -> assertPinned("Dockerfile", f.split("\\s+")[1]));
    }

    @Test
    void servicesBuildFromTheOneMultiStageDockerfileOfTheirModule() throws Exception {
        String dockerfile = ComposeFile.read("Dockerfile");
        assertTrue(dockerfile.contains("COPY --from=build"), "the run stage copies from the build stage");
        assertTrue(dockerfile.contains("mvn ") && dockerfile.contains("-pl \"${SERVICE}\""), "the build stage builds the module");
        assertTrue(dockerfile.lines().anyMatch(l -> l.startsWith("USER ") && !l.contains("root")), "runs unprivileged");
        int built = 0;
        for (var e : compose.services.entrySet()) {
            if (!(e.getValue().get("build") instanceof Map<?, ?> build)) {
                continue;
            }
            built++;
            assertEquals("Dockerfile", build.get("dockerfile"), e.getKey());
            assertEquals(".", build.get("context"), e.getKey());
            String module = ((Map<?, ?>) build.get("args")).get("SERVICE").toString();
            assertTrue(Files.isRegularFile(ComposeFile.REPO.resolve(module).resolve("pom.xml")), e.getKey() + " builds " + module);
            assertFalse(Files.exists(ComposeFile.REPO.resolve(module).resolve("Dockerfile")),
                    module + " has a Dockerfile of its own beside the shared one");
        }
        assertEquals(5, built, "two chain-node replicas, ingest, attest and verify are built");
        assertTrue(ComposeFile.read(".dockerignore").contains("**/target/"), "host builds stay out of the build context");
    }

    @Test
    void secretsAreDockerSecretsNeverEnvironmentValues() {
        Pattern secretish = Pattern.compile(".*(PASSWORD|SECRET|_KEYS?$|KEY_SHA256|CONNECTION_STRING|TOKEN).*");
        Map<String, Object> declared = compose.section("secrets");
        String script = ComposeFile.read("deploy/make-secrets.sh");
        declared.forEach((name, def) -> {
            String file = ((Map<?, ?>) def).get("file").toString();
            assertTrue(file.startsWith("./secrets/"), name + " is read from " + file);
            assertTrue(script.contains("\"$dir/" + file.substring("./secrets/".length()) + "\""),
                    "deploy/make-secrets.sh does not write " + file);
        });
        assertTrue(ComposeFile.read(".gitignore").lines().anyMatch(l -> l.strip().equals("secrets/")), "secrets/ is not ignored by git");
        compose.services.forEach((name, svc) -> {
            ComposeFile.secretNames(svc).forEach(s -> assertTrue(declared.containsKey(s), name + " mounts undeclared secret " + s));
            List<String> mounted = ComposeFile.secretPaths(svc);
            ComposeFile.environment(svc).forEach((k, v) -> {
                String key = k.toString();
                String value = String.valueOf(v);
                if (key.endsWith("_FILE") || key.equals("QUARKUS_CONFIG_LOCATIONS")) {
                    for (String path : value.split(",")) {
                        assertTrue(mounted.contains(path), name + "." + key + " names " + path + ", not a mounted secret " + mounted);
                    }
                } else {
                    assertFalse(secretish.matcher(key).matches(), name + " passes " + key + " as an environment variable");
                }
            });
        });
        assertTrue(ComposeFile.read("deploy/make-secrets.sh").contains("tracemark.mongodb.connection-string=mongodb://tracemark:"),
                "the services' connection string carries the service user's credentials");
    }

    @Test
    void eachChainNodeSignsWithItsOwnKeyFromADockerSecretThatMakeSecretsGenerates() throws Exception {
        Path repo = Files.createTempDirectory("make-secrets-");
        Files.createDirectories(repo.resolve("deploy"));
        Files.copy(ComposeFile.REPO.resolve("deploy/make-secrets.sh"), repo.resolve("deploy/make-secrets.sh"));
        Process p = new ProcessBuilder("bash", "deploy/make-secrets.sh").directory(repo.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Set<String> keys = new HashSet<>();
        int replicas = 0;
        for (var e : compose.services.entrySet()) {
            Object keyName = ComposeFile.environment(e.getValue()).get("TRACEMARK_CHAIN_KEY_NAME");
            if (keyName == null) {
                continue;
            }
            replicas++;
            String locations = String.valueOf(ComposeFile.environment(e.getValue()).get("QUARKUS_CONFIG_LOCATIONS"));
            List<?> mounts = (List<?>) e.getValue().get("secrets");
            Map<?, ?> keySecret = mounts.stream().map(m -> (Map<?, ?>) m)
                    .filter(m -> locations.contains("/run/secrets/" + m.get("target")) && m.get("source").toString().startsWith("chain_node_"))
                    .findFirst().orElseThrow(() -> new AssertionError(e.getKey() + " reads no signing-key secret: " + locations));
            String file = ((Map<?, ?>) compose.section("secrets").get(keySecret.get("source").toString())).get("file").toString();
            Properties props = new Properties();
            try (var in = Files.newInputStream(repo.resolve(file))) {
                props.load(in);
            }
            String key = props.getProperty("tracemark.chain.signing-key");
            NoteSigner signer = NoteKeys.parseSignerKey(key);
            assertEquals(keyName, signer.name(), e.getKey() + "'s key in " + file);
            assertTrue(keys.add(key), e.getKey() + " shares its signing key");
        }
        assertEquals(2, replicas);
    }

    @Test
    void mongoMembersAuthenticateAndTheServicesUseTheirOwnUser() {
        int members = 0;
        for (var e : compose.services.entrySet()) {
            Map<String, Object> svc = e.getValue();
            if (!String.valueOf(svc.get("image")).startsWith("mongo") || ComposeFile.oneShot(svc)) {
                continue;
            }
            members++;
            String start = String.valueOf(svc.get("entrypoint")) + svc.get("command");
            assertTrue(start.contains("--keyFile") && start.contains("--replSet"), e.getKey() + " starts without member auth: " + start);
            assertTrue(ComposeFile.environment(svc).containsKey("MONGO_INITDB_ROOT_PASSWORD_FILE"), e.getKey() + " has no root user");
        }
        assertEquals(3, members);
        String init = String.valueOf(compose.services.get("mongo-init").get("command"));
        assertTrue(init.contains(".auth('root'") && init.contains("createUser") && init.contains("role: 'readWrite', db: 'tracemark'"), init);
    }

    @Test
    void onlyTheEdgePublishesPortsAndItSpreadsOverEveryReplicaOfTheScalableServices() {
        compose.services.forEach((name, svc) -> {
            if (!name.equals("edge")) {
                assertFalse(svc.containsKey("ports"), name + " publishes a fixed host port, which --scale collides on");
            }
        });
        for (String name : SCALABLE) {
            Map<String, Object> svc = compose.services.get(name);
            assertFalse(svc.containsKey("container_name") || svc.containsKey("hostname"), name + " has a fixed name: cannot scale");
        }
        Map<String, Object> edge = compose.services.get("edge");
        assertPinned("edge", edge.get("image").toString());
        assertEquals(List.of("8080:8080", "8081:8081", "8082:8082"), edge.get("ports"));
        String nginx = ComposeFile.read("deploy/nginx.conf");
        assertTrue(nginx.contains("resolver 127.0.0.11 valid="), "the edge re-resolves replicas");
        for (String name : SCALABLE) {
            String port = ComposeFile.environment(compose.services.get(name)).get("QUARKUS_HTTP_PORT").toString();
            Matcher m = Pattern.compile("set \\$(\\w+) " + name + ";\\s*proxy_pass http://\\$\\1:" + port + ";").matcher(nginx);
            assertTrue(m.find(), "the edge does not proxy to every replica of " + name + " on " + port);
        }
    }

    @Test
    void healthAndMetricsAreOnTheManagementPortAndNotPublic() {
        assertTrue(ComposeFile.read("Dockerfile").contains("-Dquarkus.management.enabled=true"), "images enable the management port");
        compose.services.forEach((name, svc) -> {
            if (svc.get("build") != null) {
                String check = String.valueOf(((Map<?, ?>) svc.get("healthcheck")).get("test"));
                assertTrue(check.contains("localhost:9000/q/health/ready"), name + " checks health at " + check);
            }
        });
        String nginx = ComposeFile.read("deploy/nginx.conf");
        assertEquals(3, nginx.split("location /q/ \\{ return 404; }", -1).length - 1, "every public listener hides /q/");
    }
}
