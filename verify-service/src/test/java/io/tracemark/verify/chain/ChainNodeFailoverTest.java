package io.tracemark.verify.chain;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.edge.problem.ProblemException;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.verify.fixtures.LoopbackChainNode;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The typed chain-node client asks the next replica when one cannot answer, and only then. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class ChainNodeFailoverTest {
    private final LoopbackChainNode chain = LoopbackChainNode.shared();

    /** A local address nothing listens on: the port of a server socket just closed. */
    private static URI deadReplica() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
    }

    private static ChainNodeClient client(List<URI> replicas) {
        return new ChainNodeClient(replicas, Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void answersFromTheNextReplicaWhenTheFirstIsDown() throws IOException {
        chain.append("ab".repeat(32));
        chain.seal();
        ChainNodeClient c = client(List.of(deadReplica(), URI.create(chain.url())));
        assertEquals(chain.latestCheckpoint(), c.checkpoint());
        assertEquals(chain.size() - 1, c.leaf("ab".repeat(32)).orElseThrow().index());
        assertEquals(2, c.keysOfEveryReplica().get(0).verifierKeys().size());
    }

    @Test
    void aReplicaWithoutTheLeafIsAnAnswerNotAFailureAndNamesTheTreeItIsAbsentFrom() throws IOException {
        chain.append("ce".repeat(32));
        chain.seal();
        ChainNodeClient c = client(List.of(URI.create(chain.url()), deadReplica()));
        assertEquals(Optional.empty(), c.leaf("cd".repeat(32)));
        assertEquals(new ChainNodeClient.LeafLookup(null, chain.size()), c.lookupAsync("cd".repeat(32)).join());
    }

    @Test
    void answersThatBreakTheContractAreARetriable503NamingTheField() throws IOException {
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // An inclusion proof without its leaf hash, and keys without a verifier key.
        stub.createContext("/v1/proofs/inclusion", ex -> answer(ex, "{\"index\":0,\"treeSize\":1,\"hashes\":[]}"));
        stub.createContext("/v1/keys", ex -> answer(ex, "{\"origin\":\"o\",\"verifierKeys\":[]}"));
        stub.start();
        try {
            ChainNodeClient c = client(List.of(URI.create("http://127.0.0.1:" + stub.getAddress().getPort())));
            ProblemException e = assertThrows(ProblemException.class, () -> c.inclusionIfReached(0, 1));
            assertEquals(503, e.problem().status());
            assertTrue(e.problem().detail().contains("inclusion-proof.leafHash"),
                    e.problem().detail());
            assertThrows(ProblemException.class, c::keysOfEveryReplica);
        } finally {
            stub.stop(0);
        }
    }

    private static void answer(HttpExchange ex, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @Test
    void noReplicaAnsweringIsARetriable503() throws IOException {
        ChainNodeClient c = client(List.of(deadReplica(), deadReplica()));
        ProblemException e = assertThrows(ProblemException.class, c::checkpoint);
        assertEquals(503, e.problem().status());
        assertThrows(ProblemException.class, () -> c.leaf("ef".repeat(32)));
    }
}
