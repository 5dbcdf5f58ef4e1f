package io.tracemark.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void refusesATakenPortWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Ports.LOOPBACK))) {
            int port = taken.getLocalPort();

            assertFalse(Ports.isFree(port));
            PortInUseException e = assertThrows(PortInUseException.class, () -> Ports.requireFree(port, "kafka"));
            assertEquals(port, e.port());
            assertTrue(e.getMessage().startsWith("port " + port + " (kafka) is already in use"), e.getMessage());
        }
    }

    @Test
    void embeddedServersRefuseATakenPortBeforeStarting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Ports.LOOPBACK))) {
            int port = taken.getLocalPort();

            PortInUseException e = assertThrows(PortInUseException.class,
                    () -> EmbeddedMongo.startInMemory(Ports.LOOPBACK, port));
            assertTrue(e.getMessage().contains("(mongo)"), e.getMessage());
        }
    }

    @Test
    void zeroResolvesToAFreePort() {
        int port = Ports.resolve(0, "test");
        assertNotEquals(0, port);
        assertTrue(Ports.isFree(port));
    }

    @Test
    void resolvingManyPortsAtOnceNeverHandsTheSamePortTwice() {
        // Picked one by one and released, the kernel may return a just-released port again: a whole local
        // stack once got the same port for Mongo and the Kafka controller and failed to start.
        Map<String, Integer> requested = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            requested.put("server-" + i, 0);
        }
        Map<String, Integer> resolved = Ports.resolveAll(requested);
        assertEquals(300, new HashSet<>(resolved.values()).size(), resolved.toString());
        assertEquals(requested.keySet(), resolved.keySet());
    }

    @Test
    void resolvingManyPortsRefusesATakenExplicitOneAndAPortGivenTwice() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Ports.LOOPBACK))) {
            int port = taken.getLocalPort();
            Map<String, Integer> requested = new LinkedHashMap<>();
            requested.put("kafka", 0);
            requested.put("mongo", port);
            PortInUseException e = assertThrows(PortInUseException.class, () -> Ports.resolveAll(requested));
            assertTrue(e.getMessage().contains("(mongo)"), e.getMessage());
        }
        int free = Ports.freePort();
        Map<String, Integer> twice = new LinkedHashMap<>();
        twice.put("kafka", free);
        twice.put("kafka controller", free);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ports.resolveAll(twice));
        assertEquals("port " + free + " is given for both kafka and kafka controller", e.getMessage());
    }
}
