package io.tracemark.chain;

import io.tracemark.testsupport.tsa.OpensslTsa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A chain node with three external authorities: {@code independent}, OpenSSL's TSA in a process of its own;
 * {@code down}, a port nobody listens on; {@code silent}, a socket that accepts and never answers.
 */
public class ExternalTsaInfra extends ChainTestInfra {
    static volatile OpensslTsa independent;
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
