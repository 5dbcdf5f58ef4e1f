package io.tracemark.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/** A MongoDB-wire-compatible server (mongo-java-server) backed by an H2 file or by memory. */
public final class EmbeddedMongo implements AutoCloseable {

    private final MongoServer server;
    private final InetSocketAddress address;
    private final Path file;
    private boolean closed;

    private EmbeddedMongo(MongoServer server, InetSocketAddress address, Path file) {
        this.server = server;
        this.address = address;
        this.file = file;
    }

    /**
     * Starts a server whose data persists in the H2 MVStore {@code file}, every acknowledged write
     * surviving a kill of the process; a port of 0 picks a free one.
     */
    public static EmbeddedMongo startH2(Path file, String host, int port) {
        Path absolute = file.toAbsolutePath();
        try {
            Path parent = absolute.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the directory for mongo file " + absolute, e);
        }
        // Check the port before opening the file: a failed bind would otherwise leave the MVStore locked.
        int resolved = Ports.resolve(port, "mongo");
        DurableH2Backend backend;
        try {
            backend = new DurableH2Backend(absolute.toString());
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not open mongo H2 file " + absolute + ": " + e.getMessage()
                    + " (is another Tracemark infra using the same data dir?)", e);
        }
        return bind(backend, host, resolved, absolute);
    }

    /** The H2 file used for a Tracemark data dir, {@code <dataDir>/mongo/tracemark.mv}, shared by every launcher. */
    public static Path defaultH2File(Path dataDir) {
        return dataDir.resolve("mongo").resolve("tracemark.mv");
    }

    /** Starts a server that keeps everything in memory; a port of 0 picks a free one. */
    public static EmbeddedMongo startInMemory(String host, int port) {
        return bind(new MemoryBackend(), host, Ports.resolve(port, "mongo"), null);
    }

    private static EmbeddedMongo bind(MongoBackend backend, String host, int port, Path file) {
        MongoServer server = new MongoServer(backend);
        try {
            server.bind(host, port);
        } catch (RuntimeException e) {
            // shutdown() also closes the backend, releasing the H2 file lock.
            server.shutdownNow();
            throw new IllegalStateException("mongo could not listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new EmbeddedMongo(server, server.getLocalAddress(), file);
    }

    /** A connection string for the MongoDB driver, e.g. {@code mongodb://127.0.0.1:27017}. */
    public String connectionString() {
        // A wildcard bind is reachable via loopback, and "0.0.0.0" is not something a client can dial.
        String host = address.getAddress().isAnyLocalAddress() ? Ports.LOOPBACK : address.getHostString();
        return "mongodb://" + host + ":" + address.getPort();
    }

    /** The port the server listens on. */
    public int port() {
        return address.getPort();
    }

    /** Whether data lives only in memory (no H2 file). */
    public boolean inMemory() {
        return file == null;
    }

    /** Closes client connections and the backend; for H2 this flushes and unlocks the file. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdownNow();
    }
}
