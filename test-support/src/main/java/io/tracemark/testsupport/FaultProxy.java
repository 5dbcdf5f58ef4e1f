package io.tracemark.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy in front of one target that a test can make fail: {@link #down()} (the
 * dependency crashed: live connections are reset, new ones refused), {@link #blackhole()} (the
 * dependency hangs: connections are accepted but nothing is answered) and {@link #up()}.
 *
 * <p>Plain blocking sockets, two daemon threads per connection: enough for a test's handful of
 * driver connections and free of any dependency.
 */
public final class FaultProxy implements AutoCloseable {

    /** What the proxy does with traffic. */
    public enum Mode {
        /** Forwards bytes both ways. */
        UP,
        /** Refuses connections; live ones were reset. */
        DOWN,
        /** Accepts connections and reads requests but forwards nothing, so no answer ever comes. */
        BLACKHOLE
    }

    private static final int BUFFER = 64 * 1024;

    private final String targetHost;
    private final int targetPort;
    private final InetAddress loopback = InetAddress.getLoopbackAddress();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Object modeLock = new Object();
    private final AtomicLong accepted = new AtomicLong();
    private volatile Mode mode = Mode.UP;
    private volatile ServerSocket server;
    private volatile Thread acceptor;
    private volatile boolean closed;
    private volatile int port;

    /** Starts a proxy on an ephemeral loopback port that forwards to {@code targetHost:targetPort}. */
    public FaultProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        listen(0);
    }

    /** The loopback port clients connect to; it stays the same across {@link #down()} and {@link #up()}. */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port} (or the platform's loopback) for connection strings. */
    public String hostAndPort() {
        return loopback.getHostAddress() + ":" + port;
    }

    /** The current mode. */
    public Mode mode() {
        return mode;
    }

    /** How many client connections the proxy has accepted so far. */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** Forwards again; connections held by a black hole resume, and new connections are accepted. */
    public void up() {
        synchronized (modeLock) {
            if (server == null || server.isClosed()) {
                listen(port);
            }
            mode = Mode.UP;
            modeLock.notifyAll();
        }
    }

    /** Resets every live connection and refuses new ones (the listening socket is closed). */
    public void down() {
        synchronized (modeLock) {
            mode = Mode.DOWN;
            modeLock.notifyAll();
            closeQuietly(server);
            awaitAcceptorExit();
            for (Link l : links) {
                l.reset();
            }
        }
    }

    /** Keeps accepting and reading, but forwards nothing in either direction until {@link #up()} or {@link #down()}. */
    public void blackhole() {
        synchronized (modeLock) {
            if (server == null || server.isClosed()) {
                listen(port);
            }
            mode = Mode.BLACKHOLE;
        }
    }

    /** Stops listening and resets every connection. */
    @Override
    public void close() {
        closed = true;
        down();
    }

    /** The JDK defers closing a listening socket while a thread is blocked in accept; refuse only once it is gone. */
    private void awaitAcceptorExit() {
        Thread t = acceptor;
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void listen(int wanted) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(loopback, wanted), 50);
            server = s;
            port = s.getLocalPort();
            Thread t = new Thread(() -> acceptLoop(s), "fault-proxy-accept-" + port);
            t.setDaemon(true);
            t.start();
            acceptor = t;
        } catch (IOException e) {
            throw new UncheckedIOException("fault proxy cannot listen on " + loopback + ":" + wanted, e);
        }
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed() && !closed) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            try {
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
                Link link = new Link(client, upstream);
                links.add(link);
                link.start();
            } catch (IOException e) {
                // The target itself is unreachable: behave as it does, by resetting the client.
                reset(client);
            }
        }
    }

    /** Waits while the proxy is a black hole; returns whether the held bytes may be forwarded. */
    private boolean mayForward() throws InterruptedException {
        synchronized (modeLock) {
            while (mode == Mode.BLACKHOLE && !closed) {
                modeLock.wait();
            }
            return mode == Mode.UP && !closed;
        }
    }

    /** One proxied connection: a client socket, its upstream socket and a pump each way. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            pump(client, upstream, "c2s");
            pump(upstream, client, "s2c");
        }

        private void pump(Socket from, Socket to, String direction) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[BUFFER];
                try {
                    InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream();
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        // A black hole holds this chunk; the kernel buffers behind it then fill, as with a hung peer.
                        if (!mayForward()) {
                            break;
                        }
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // The other pump or down() closed the sockets; nothing more to move.
                }
                reset();
            }, "fault-proxy-" + direction + "-" + port);
            t.setDaemon(true);
            t.start();
        }

        void reset() {
            links.remove(this);
            FaultProxy.reset(client);
            FaultProxy.reset(upstream);
        }
    }

    /** Closes with SO_LINGER 0, so the peer sees a reset rather than an orderly end of stream. */
    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (SocketException e) {
            // Already closed.
        }
        closeQuietly(s);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // Closing is best effort; the socket is unusable either way.
        }
    }
}
