package io.tracemark.chain;

import io.tracemark.testsupport.tsa.OpensslTsa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A chain node with three external authorities: {@code independent}, OpenSSL's TSA in a process of its own;
 * {@code down}, a port nobody listens on; {@code silent}, a socket that accepts and never answers. Its own TSA key and
 * certificate are supplied as files made by OpenSSL ({@link #ownCertificate}), as deploy/make-secrets.sh makes them.
 */
public class ExternalTsaInfra extends ChainTestInfra {
    static volatile OpensslTsa independent;
    static volatile Path ownCertificate;
    private ServerSocket silent;
    private final List<Socket> held = new ArrayList<>();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new java.util.HashMap<>(super.start());
        try {
            independent = OpensslTsa.start("Independent Test TSA");
            int down;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                down = s.getLocalPort();
            }
            silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        Socket s = silent.accept();
                        synchronized (held) {
                            held.add(s);
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-tsa");
            accept.setDaemon(true);
            accept.start();
            String cert = independent.certificateFile().toString();
            config.put("tracemark.chain.external-tsa.authorities", String.join(",",
                    "independent " + independent.url() + " " + cert,
                    "down http://127.0.0.1:" + down + "/tsr " + cert,
                    "silent http://127.0.0.1:" + silent.getLocalPort() + "/tsr " + cert));
            Path own = Files.createTempDirectory("own-tsa-");
            run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", own.resolve("key.pem").toString());
            run("openssl", "req", "-new", "-x509", "-key", own.resolve("key.pem").toString(), "-out", own.resolve("cert.pem").toString(),
                    "-days", "30", "-subj", "/O=Tracemark/CN=Supplied Test TSA", "-addext", "extendedKeyUsage=critical,timeStamping",
                    "-addext", "keyUsage=critical,digitalSignature,nonRepudiation");
            ownCertificate = own.resolve("cert.pem");
            config.put("tracemark.chain.tsa.key-file", own.resolve("key.pem").toString());
            config.put("tracemark.chain.tsa.certificate-file", ownCertificate.toString());
            config.put("tracemark.chain.external-tsa.timeout", "3s");
            config.put("tracemark.chain.external-tsa.attempts", "2");
            config.put("tracemark.chain.external-tsa.retry-backoff", "100ms");
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    @Override
    public void stop() {
        super.stop();
        if (independent != null) {
            independent.close();
        }
        try {
            if (silent != null) {
                silent.close();
            }
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
