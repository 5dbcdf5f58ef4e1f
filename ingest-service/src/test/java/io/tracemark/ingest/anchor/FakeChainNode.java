package io.tracemark.ingest.anchor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Two loopback chain-node replicas that answer only {@code GET /v1/leaves?hash=}: the positions a test put in, else a
 * 404 problem as the real one answers for a leaf not sealed yet. Points {@code tracemark.ingest.chain-node-url} at
 * both. Global (every ingest test application gets it): a separate application per test class would cost
 * an application build and a broker start each.
 */
public class FakeChainNode implements QuarkusTestResourceLifecycleManager {
    private static final Map<String, String> ANSWERS = new ConcurrentHashMap<>();
    private static final int REPLICAS = 2;
    private static final HttpServer[] SERVERS = new HttpServer[REPLICAS];
    private static final int[] PORTS = new int[REPLICAS];

    /** Answers {@code {"index", "blockHeight"}} for this digest. */
    public static void leaf(String digest, long index, long blockHeight) {
        ANSWERS.put(digest, "{\"index\":" + index + ",\"blockHeight\":" + blockHeight + "}");
    }

    /** Answers {@code {"index"}} only, as a chain node from before block heights were reported. */
    public static void leafWithoutHeight(String digest, long index) {
        ANSWERS.put(digest, "{\"index\":" + index + "}");
    }

    /** Stops both replicas: connections are refused until {@link #up()}. */
    public static synchronized void down() {
        for (int r = 0; r < REPLICAS; r++) {
            down(r);
        }
    }

    /** Stops replica {@code r} (0 or 1, in configured order). */
    public static synchronized void down(int r) {
        if (SERVERS[r] != null) {
            SERVERS[r].stop(0);
            SERVERS[r] = null;
        }
    }

    /** Both replicas listen again on their ports. */
    public static synchronized void up() {
        for (int r = 0; r < REPLICAS; r++) {
            if (SERVERS[r] == null) {
                listen(r, PORTS[r]);
            }
        }
    }

    @Override
    public Map<String, String> start() {
        StringBuilder urls = new StringBuilder();
        for (int r = 0; r < REPLICAS; r++) {
            listen(r, 0);
            urls.append(r == 0 ? "" : ",").append("http://").append(InetAddress.getLoopbackAddress().getHostAddress())
                    .append(':').append(PORTS[r]);
        }
        return Map.of("tracemark.ingest.chain-node-url", urls.toString());
    }

    @Override
    public void stop() {
        down();
        ANSWERS.clear();
    }

    private static synchronized void listen(int r, int wanted) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 16);
            s.createContext("/v1/leaves", FakeChainNode::leaves);
            s.start();
            SERVERS[r] = s;
            PORTS[r] = s.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void leaves(HttpExchange x) throws IOException {
        String query = x.getRequestURI().getQuery();
        String hash = query != null && query.startsWith("hash=") ? query.substring(5) : "";
        String body = ANSWERS.get(hash);
        int status = 200;
        if (body == null) {
            status = 404;
            body = "{\"type\":\"https://tracemark.dev/problems/not-present\",\"title\":\"Leaf not present\",\"status\":404}";
            x.getResponseHeaders().set("Content-Type", "application/problem+json");
        } else {
            x.getResponseHeaders().set("Content-Type", "application/json");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }
}
