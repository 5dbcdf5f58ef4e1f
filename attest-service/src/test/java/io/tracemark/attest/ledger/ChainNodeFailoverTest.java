package io.tracemark.attest.ledger;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.attest.AttestTestResource;
import io.tracemark.attest.ChainFixture;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** attest's typed chain-node client asks the next replica when one cannot answer, and only then. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(AttestTestResource.class)
class ChainNodeFailoverTest {
    @Inject
    MeterRegistry meters;

    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.stop(0));
    }

    /** A local address nothing listens on: the port of a server socket just closed. */
    private static URI deadReplica() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
    }

    /** A replica that answers every request with {@code status} and records the raw paths it was asked. */
    private URI replicaAnswering(int status, List<String> asked) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/", ex -> {
            asked.add(ex.getRequestURI().getRawPath());
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        s.start();
        servers.add(s);
        return URI.create("http://127.0.0.1:" + s.getAddress().getPort());
    }

    private ChainNodeClient client(Duration pause, URI... replicas) {
        return new ChainNodeClient(List.of(replicas), Duration.ofSeconds(1), Duration.ofSeconds(2), pause, meters);
    }

    private double failures(URI replica) {
        return meters.counter("tracemark.attest.chain.replica.failures", "replica", replica.toString()).count();
    }

    @Test
    void answersFromTheNextReplicaWhenTheFirstIsDownAndKeepsAskingThatOne() throws Exception {
        ChainFixture chain = AttestTestResource.chain();
        URI dead = deadReplica();
        ChainNodeClient c = client(Duration.ofSeconds(5), dead, URI.create(chain.url()));
        assertEquals(List.of(chain.verifierKeys()), c.verifierKeys());
        assertEquals(chain.tsa.pem(), c.tsaCertificate().orElseThrow());
        assertEquals(1.0, failures(dead));
        c.verifierKeys();
        assertEquals(1.0, failures(dead), "the replica that answered is asked first next time");
    }

    @Test
    void aReplicaWithoutTheThingIsAnAnswerNotAFailure() throws IOException {
        ChainFixture chain = AttestTestResource.chain();
        URI dead = deadReplica();
        ChainNodeClient c = client(Duration.ofSeconds(5), URI.create(chain.url()), dead);
        assertEquals(Optional.empty(), c.leaf("cd".repeat(32)));
        assertEquals(Optional.empty(), c.timestamp(1L << 40));
        ChainNodeClient.Witnessed w = c.witnessed(1L << 40);
        assertTrue(w.logHasWitnesses(), "not-witnessed-yet is told apart from a log without witnesses");
        assertFalse(w.evidence().isWitnessed());
        assertEquals(0.0, failures(dead));
    }

    @Test
    void tilePathsReachTheReplicaWithTheirSlashesUnescaped() throws IOException {
        List<String> asked = new CopyOnWriteArrayList<>();
        ChainNodeClient c = client(Duration.ofSeconds(5), replicaAnswering(404, asked));
        assertEquals(Optional.empty(), c.tile("tile/1/x001/234.p/5"));
        assertEquals(List.of("/tile/1/x001/234.p/5"), asked);
    }

    @Test
    void aReplicaThatKeepsFailingIsNotAskedWhileItsCircuitBreakerIsOpen() throws IOException {
        List<String> asked = new CopyOnWriteArrayList<>();
        URI failing = replicaAnswering(500, asked);
        ChainNodeClient c = client(Duration.ofMinutes(5), failing);
        for (int i = 0; i < 20; i++) {
            assertThrows(ChainNodeClient.Unavailable.class, () -> c.leaf("ef".repeat(32)));
        }
        assertEquals(8, asked.size(), "asked until half of its last 8 calls failed, then paused");
        assertEquals(20.0, failures(failing), "a paused replica counts as failing, so a next one would be asked");
    }

    @Test
    void noReplicaAnsweringIsUnavailable() throws IOException {
        List<String> asked = new CopyOnWriteArrayList<>();
        ChainNodeClient c = client(Duration.ofSeconds(5), deadReplica(), replicaAnswering(503, asked));
        assertThrows(ChainNodeClient.Unavailable.class, () -> c.timestamp(1));
        assertEquals(1, asked.size());
    }
}
