package io.tracemark.localstack.compose;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docker-compose.yml cannot run here (no Docker engine), so this keeps it correct by construction:
 * every host:port a service is configured with names a compose service listening on that port.
 */
class DockerComposeTopologyTest {
    private static final Pattern HOST_PORT = Pattern.compile("(?:^|[/,@=\\s'])([a-z][a-z0-9-]*):(\\d{2,5})");
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    static void load() {
        services = ComposeFile.load().services;
    }

    /** The port each service listens on, from its own configuration. */
    private static Map<String, Set<Integer>> listening() {
        Map<String, Set<Integer>> ports = new HashMap<>();
        services.forEach((name, svc) -> {
            Set<Integer> p = new HashSet<>();
            Object env = svc.get("environment");
            if (env instanceof Map<?, ?> m && m.get("QUARKUS_HTTP_PORT") != null) {
                p.add(Integer.parseInt(m.get("QUARKUS_HTTP_PORT").toString()));
            }
            String image = String.valueOf(svc.get("image"));
            if (image.startsWith("apache/kafka")) {
                p.add(9092);
                p.add(9093);
            }
            if (image.startsWith("mongo")) {
                p.add(27017);
            }
            ports.put(name, p);
        });
        return ports;
    }

    @Test
    void everyConfiguredHostAndPortNamesAServiceListeningThere() {
        Map<String, Set<Integer>> listening = listening();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (var svc : services.entrySet()) {
            List<String> values = new ArrayList<>();
            Object env = svc.getValue().get("environment");
            if (env instanceof Map<?, ?> m) {
                m.values().forEach(v -> values.add(String.valueOf(v)));
            }
            Object cmd = svc.getValue().get("command");
            if (cmd != null) {
                values.add(cmd.toString());
            }
            for (String v : values) {
                Matcher matcher = HOST_PORT.matcher(v);
                while (matcher.find()) {
                    String host = matcher.group(1);
                    int port = Integer.parseInt(matcher.group(2));
                    checked++;
                    if (!services.containsKey(host)) {
                        problems.add(svc.getKey() + " refers to unknown service " + host + ":" + port);
                    } else if (!listening.get(host).contains(port)) {
                        problems.add(svc.getKey() + " refers to " + host + ":" + port + " but " + host
                                + " listens on " + listening.get(host));
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(checked > 20, "expected many host:port references, found " + checked);
    }

    @Test
    void everyServiceDependsOnlyOnDefinedServices() {
        for (var svc : services.entrySet()) {
            Object deps = svc.getValue().get("depends_on");
            if (deps instanceof Map<?, ?> m) {
                m.keySet().forEach(d -> assertTrue(services.containsKey(d.toString()),
                        svc.getKey() + " depends on unknown " + d));
            }
        }
    }

    @Test
    void runsTwoCosigningChainNodesWithDistinctKeysAndTheFourServiceKinds() {
        List<String> keyNames = new ArrayList<>();
        for (String name : List.of("chain-node-1", "chain-node-2", "ingest-service", "attest-service", "verify-service")) {
            if (!services.containsKey(name)) {
                fail("docker-compose.yml lacks " + name);
            }
            assertTrue(services.get(name).containsKey("healthcheck"), name + " has no health check");
        }
        for (String name : List.of("chain-node-1", "chain-node-2")) {
            keyNames.add(((Map<?, ?>) services.get(name).get("environment")).get("TRACEMARK_CHAIN_KEY_NAME").toString());
        }
        assertEquals(2, new HashSet<>(keyNames).size(), "chain-node replicas must sign with distinct keys");
    }
}
