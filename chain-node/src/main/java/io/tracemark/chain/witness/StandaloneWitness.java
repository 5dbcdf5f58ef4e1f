package io.tracemark.chain.witness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * A {@link Witness} as a process of its own, with its own key and state, over the JDK's HTTP server:
 * {@code POST /add-checkpoint} and {@code GET /<origin hash>/checkpoint} (C2SP tlog-witness, submission
 * and monitoring prefix both the root). Configured like the embedded witness, by
 * {@code tracemark.witness.*} system properties or {@code TRACEMARK_WITNESS_*} environment variables.
 */
public final class StandaloneWitness implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StandaloneWitness.class);
    private static final Pattern MONITOR = Pattern.compile("/([0-9a-f]{64})/checkpoint");

    private final Witness witness;
    private final HttpServer server;
    private final ExecutorService threads;

    private StandaloneWitness(Witness witness, HttpServer server, ExecutorService threads) {
        this.witness = witness;
        this.server = server;
        this.threads = threads;
    }

    /** Runs until stopped; {@code --help} lists the flags (see {@link WitnessCommand}). */
    public static void main(String[] args) {
        logToConsole();
        System.exit(WitnessCommand.commandLine().execute(args));
    }

    /**
     * Outside Quarkus nobody activates the log manager's start-up handler, which then holds every record in memory
     * for good: log INFO and above to the console in the services' format instead, so the witness's log says what it
     * cosigned and refused.
     */
    private static void logToConsole() {
        java.util.logging.Logger root = java.util.logging.LogManager.getLogManager().getLogger("");
        for (java.util.logging.Handler h : root.getHandlers()) {
            if (h.getClass().getSimpleName().contains("Delayed")) {
                root.removeHandler(h);
            }
        }
        if (root.getHandlers().length > 0) {
            return;
        }
        ConsoleHandler console = new ConsoleHandler(ConsoleHandler.Target.SYSTEM_OUT,
                new PatternFormatter("%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c{3.}] (%t) %s%e%n"));
        console.setLevel(java.util.logging.Level.INFO);
        root.addHandler(console);
        root.setLevel(java.util.logging.Level.INFO);
    }

    /** Starts serving {@code settings}' witness on {@code port} (0 picks a free one). */
    public static StandaloneWitness start(WitnessSettings settings, int port) {
        Witness witness = Witness.open(settings);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 64);
            ExecutorService threads = Executors.newFixedThreadPool(4);
            server.setExecutor(threads);
            StandaloneWitness w = new StandaloneWitness(witness, server, threads);
            server.createContext("/", w::handle);
            server.start();
            LOG.infof("witness %s listening on port %d for logs %s", witness.verifierKey(), w.port(),
                    settings.trustedLogs().keySet());
            return w;
        } catch (IOException | RuntimeException e) {
            witness.close();
            throw new IllegalStateException("cannot start the witness", e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Matcher monitor = MONITOR.matcher(path);
            WitnessResponse r;
            if (path.equals("/add-checkpoint") && ex.getRequestMethod().equals("POST")) {
                r = witness.addCheckpoint(readBounded(ex.getRequestBody()));
            } else if (monitor.matches() && ex.getRequestMethod().equals("GET")) {
                r = witness.checkpoint(monitor.group(1))
                        .map(WitnessResponse::note)
                        .orElseGet(() -> WitnessResponse.refused(404, "no checkpoint cosigned for that log"));
            } else {
                r = WitnessResponse.refused(404, "not found");
            }
            ex.getResponseHeaders().set("Content-Type", r.contentType());
            ex.sendResponseHeaders(r.status(), r.body().length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(r.body());
            }
        }
    }

    /** Reads at most one byte more than the witness accepts, so an oversized body is refused unread. */
    private static byte[] readBounded(InputStream in) throws IOException {
        return in.readNBytes(Witness.MAX_REQUEST_BYTES + 1);
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The witness being served. */
    public Witness witness() {
        return witness;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        witness.close();
    }
}
