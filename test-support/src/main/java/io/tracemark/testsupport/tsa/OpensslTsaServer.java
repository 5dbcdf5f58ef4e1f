package io.tracemark.testsupport.tsa;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP face of {@link OpensslTsa}, run as its own process: every POST body is an RFC 3161 query that
 * {@code openssl ts -reply} answers with the key and certificate in the directory given; the port it
 * listens on (chosen by the OS) is written to {@code <dir>/port}.
 */
public final class OpensslTsaServer {
    private OpensslTsaServer() {
    }

    /** {@code OpensslTsaServer <dir>}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", x -> answer(dir, x));
        server.start();
        Path tmp = dir.resolve("port.tmp");
        Files.writeString(tmp, Integer.toString(server.getAddress().getPort()));
        Files.move(tmp, dir.resolve("port"), StandardCopyOption.ATOMIC_MOVE);
    }

    // One reply at a time: openssl keeps the serial number in a file.
    private static synchronized void answer(Path dir, HttpExchange x) throws IOException {
        try (x) {
            if (!"POST".equals(x.getRequestMethod())) {
                x.sendResponseHeaders(405, -1);
                return;
            }
            Path query = dir.resolve("query.tsq");
            Path reply = dir.resolve("reply.tsr");
            Files.write(query, x.getRequestBody().readAllBytes());
            Files.deleteIfExists(reply);
            Process p = new ProcessBuilder("openssl", "ts", "-reply", "-config", dir.resolve("tsa.cnf").toString(),
                    "-queryfile", query.toString(), "-out", reply.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
            boolean done = p.waitFor(20, TimeUnit.SECONDS);
            if (!done || p.exitValue() != 0 || !Files.exists(reply)) {
                x.sendResponseHeaders(500, -1);
                return;
            }
            byte[] body = Files.readAllBytes(reply);
            x.getResponseHeaders().set("Content-Type", "application/timestamp-reply");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
