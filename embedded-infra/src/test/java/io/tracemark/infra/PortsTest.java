package io.tracemark.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;

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
}
