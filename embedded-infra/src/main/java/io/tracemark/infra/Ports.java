package io.tracemark.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loopback port helpers: pick free ports and fail early, with a readable message, on taken ones. */
public final class Ports {

    /** The only address embedded infra binds to; nothing is ever exposed beyond this machine. */
    public static final String LOOPBACK = "127.0.0.1";

    private Ports() {
    }

    /** Returns a port that was free on 127.0.0.1 at the time of the call. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not allocate a free port on " + LOOPBACK, e);
        }
    }

    /**
     * Resolves several ports at once, keyed by what each is for: an explicit port must be free, and 0 becomes a
     * free port distinct from every other one in the map. The picked ports' sockets are held open until all are
     * picked, because the kernel may hand a just-released port out again, and two servers told the same port
     * fail the second to start.
     */
    public static Map<String, Integer> resolveAll(Map<String, Integer> requested) {
        Map<Integer, String> explicit = new HashMap<>();
        for (var e : requested.entrySet()) {
            if (e.getValue() != 0) {
                String other = explicit.putIfAbsent(e.getValue(), e.getKey());
                if (other != null) {
                    throw new IllegalArgumentException("port " + e.getValue() + " is given for both " + other
                            + " and " + e.getKey());
                }
                requireFree(e.getValue(), e.getKey());
            }
        }
        List<ServerSocket> held = new ArrayList<>();
        try {
            Map<String, Integer> resolved = new LinkedHashMap<>();
            for (var e : requested.entrySet()) {
                int port = e.getValue();
                while (port == 0) {
                    ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK));
                    held.add(socket);
                    port = explicit.containsKey(socket.getLocalPort()) ? 0 : socket.getLocalPort();
                }
                resolved.put(e.getKey(), port);
            }
            return resolved;
        } catch (IOException e) {
            throw new UncheckedIOException("could not allocate free ports on " + LOOPBACK, e);
        } finally {
            closeAll(held);
        }
    }

    private static void closeAll(Collection<ServerSocket> sockets) {
        for (ServerSocket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // Closing a listening socket that never accepted anything does not fail in practice; nothing to undo.
            }
        }
    }

    /** Returns {@code true} if {@code port} can currently be bound on 127.0.0.1. */
    public static boolean isFree(int port) {
        // SO_REUSEADDR (the JDK default on Unix) lets us ignore TIME_WAIT leftovers, exactly as the
        // servers themselves will, so only a live listener counts as "in use".
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Returns {@code port} if it is free, a fresh free port if it is 0, else throws {@link PortInUseException}. */
    public static int resolve(int port, String purpose) {
        if (port == 0) {
            return freePort();
        }
        requireFree(port, purpose);
        return port;
    }

    /** Throws {@link PortInUseException} naming {@code purpose} if {@code port} is taken. */
    public static void requireFree(int port, String purpose) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port for " + purpose + " must be 1..65535 (or 0 for any), was " + port);
        }
        if (!isFree(port)) {
            throw new PortInUseException(port, purpose);
        }
    }
}
