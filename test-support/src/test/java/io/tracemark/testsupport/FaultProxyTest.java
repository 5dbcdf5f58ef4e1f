package io.tracemark.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {

    private ServerSocket echo;
    private FaultProxy proxy;

    @BeforeEach
    void startEchoServerAndProxy() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::echoLoop, "echo");
        t.setDaemon(true);
        t.start();
        proxy = new FaultProxy(InetAddress.getLoopbackAddress().getHostAddress(), echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private void echoLoop() {
        while (!echo.isClosed()) {
            try {
                Socket s = echo.accept();
                Thread t = new Thread(() -> {
                    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException e) {
                        // Reset by the proxy: the test is about that.
                    }
                }, "echo-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()), 2_000);
        s.setSoTimeout(2_000);
        return s;
    }

    private static byte[] roundTrip(Socket s, String text) throws IOException {
        byte[] sent = text.getBytes(StandardCharsets.UTF_8);
        s.getOutputStream().write(sent);
        s.getOutputStream().flush();
        return s.getInputStream().readNBytes(sent.length);
    }

    @Test
    void forwardsBytesBothWaysWhileUp() throws IOException {
        try (Socket s = connect()) {
            assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), roundTrip(s, "hello"));
            assertArrayEquals("again".getBytes(StandardCharsets.UTF_8), roundTrip(s, "again"));
        }
        assertEquals(1, proxy.acceptedConnections());
    }

    @Test
    void downResetsLiveConnectionsAndRefusesNewOnes() throws IOException {
        try (Socket s = connect()) {
            roundTrip(s, "before");
            proxy.down();
            assertEquals(FaultProxy.Mode.DOWN, proxy.mode());
            // A reset connection fails on read or, after the RST arrived, on write; never answers.
            assertThrows(IOException.class, () -> {
                byte[] got = roundTrip(s, "during");
                if (got.length == 0) {
                    throw new SocketException("end of stream");
                }
            });
        }
        assertThrows(ConnectException.class, this::connect);
    }

    @Test
    void upAfterDownListensOnTheSamePortAndForwardsAgain() throws IOException {
        int port = proxy.port();
        proxy.down();
        proxy.up();
        assertEquals(port, proxy.port());
        try (Socket s = connect()) {
            assertArrayEquals("back".getBytes(StandardCharsets.UTF_8), roundTrip(s, "back"));
        }
    }

    @Test
    void blackholeAcceptsButNeverAnswersUntilUp() throws IOException {
        try (Socket live = connect()) {
            roundTrip(live, "warm");
            proxy.blackhole();
            live.getOutputStream().write("held".getBytes(StandardCharsets.UTF_8));
            live.getOutputStream().flush();
            live.setSoTimeout(500);
            assertThrows(SocketTimeoutException.class, () -> live.getInputStream().read());

            try (Socket fresh = connect()) {
                fresh.setSoTimeout(500);
                assertThrows(SocketTimeoutException.class, () -> roundTrip(fresh, "new"));
            }

            proxy.up();
            live.setSoTimeout(2_000);
            // The held request is delivered once the dependency answers again, as after a network stall.
            assertArrayEquals("held".getBytes(StandardCharsets.UTF_8), live.getInputStream().readNBytes(4));
        }
    }

    @Test
    void downWhileBlackholedResetsTheHeldConnections() throws IOException {
        try (Socket live = connect()) {
            roundTrip(live, "warm");
            proxy.blackhole();
            live.getOutputStream().write("held".getBytes(StandardCharsets.UTF_8));
            proxy.down();
            live.setSoTimeout(2_000);
            assertThrows(IOException.class, () -> {
                if (live.getInputStream().read() < 0) {
                    throw new SocketException("end of stream");
                }
            });
        }
    }
}
