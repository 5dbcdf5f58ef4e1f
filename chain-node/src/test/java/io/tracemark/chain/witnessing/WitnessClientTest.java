package io.tracemark.chain.witnessing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracemark.chain.witness.StandaloneWitness;
import io.tracemark.chain.witness.TestLog;
import io.tracemark.chain.witness.Witness;
import io.tracemark.chain.witness.WitnessSettings;
import io.tracemark.proofs.cosignature.CosignatureKeys;
import io.tracemark.proofs.cosignature.Ed25519CosignatureVerifier;
import io.tracemark.proofs.note.NoteSignature;
import io.tracemark.testsupport.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The witness client against real witness servers that refuse it, or know more of the log than it does. */
class WitnessClientTest {
    static final String ORIGIN = "example.com/log";

    final TestLog log = new TestLog(ORIGIN, (byte) 1, "leaf-");
    final SynchronizedLog served = new SynchronizedLog(log);
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void countsUnknownOriginAndUntrustedKeyAsRejectionsWithTheWitnessesReason() throws Exception {
        TestLog stranger = new TestLog(ORIGIN, (byte) 7, "leaf-");
        StandaloneWitness unknownOrigin = witness("example.com/other " + log.key.verifier().verifierKey());
        StandaloneWitness untrusted = witness(ORIGIN + " " + stranger.key.verifier().verifierKey());
        served.grow(3);
        WitnessClient a = client(unknownOrigin);
        WitnessClient b = client(untrusted);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.status().rejections() >= 1 && b.status().rejections() >= 1);
        assertEquals("404 unknown log origin", a.status().lastOutcome());
        assertEquals("403 note.unverified: note has no signature from a trusted key", b.status().lastOutcome());
        assertEquals(List.of(), served.cosignatures);
    }

    @Test
    void waitsForTheLogToReachTheSizeAWitnessAlreadyCosignedThenProvesFromIt() throws Exception {
        Path dir = Files.createTempDirectory("witness-ahead-");
        WitnessSettings settings = settings(dir, ORIGIN + " " + log.key.verifier().verifierKey());
        TestLog ahead = new TestLog(ORIGIN, (byte) 1, "leaf-").grow(10);
        try (Witness w = Witness.open(settings)) {
            assertEquals(200, w.addCheckpoint(ahead.request(0)).status());
        }
        StandaloneWitness witness = StandaloneWitness.start(settings, 0);
        open.add(witness);
        served.grow(5);
        WitnessClient client = client(witness);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.status().lastOutcome().equals("409: witness knows size 10"));
        served.grow(7);
        client.checkpointSigned();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.status().cosignedSize() == 12);
        Ed25519CosignatureVerifier key = CosignatureKeys.parseVerifierKey(witness.witness().verifierKey());
        NoteSignature cosignature = served.cosignatures.get(0);
        String bodyAt12 = served.latest().body();
        assertTrue(key.verify(bodyAt12.getBytes(StandardCharsets.UTF_8), cosignature.signature()));
    }

    @Test
    void anUnreachableWitnessIsLoggedOnceAnOutageNotOnceARetry() throws Exception {
        StandaloneWitness w = witness(ORIGIN + " " + log.key.verifier().verifierKey());
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        served.grow(3);
        try (LogCapture lines = LogCapture.of(WitnessClient.class)) {
            WitnessClient c = new WitnessClient(new WitnessEndpoint(CosignatureKeys.parseVerifierKey(w.witness().verifierKey()),
                    URI.create("http://localhost:" + closed)), served, HttpClient.newHttpClient());
            c.start();
            open.add(c);
            await().atMost(Duration.ofSeconds(20)).until(() -> c.status().failures() >= 3);
            assertEquals(1, lines.lines(l -> l.message().contains("unreachable")).size(), lines.lines(l -> true).toString());
        }
    }

    private StandaloneWitness witness(String logs) throws Exception {
        StandaloneWitness w = StandaloneWitness.start(settings(Files.createTempDirectory("witness-"), logs), 0);
        open.add(w);
        return w;
    }

    private static WitnessSettings settings(Path dir, String logs) {
        return new WitnessSettings(dir, "w.example/1", Optional.empty(), List.of(logs));
    }

    private WitnessClient client(StandaloneWitness w) {
        WitnessEndpoint endpoint = new WitnessEndpoint(CosignatureKeys.parseVerifierKey(w.witness().verifierKey()),
                URI.create("http://localhost:" + w.port()));
        WitnessClient c = new WitnessClient(endpoint, served, HttpClient.newHttpClient());
        c.start();
        open.add(c);
        return c;
    }

    /** The test log as a witness client sees it; the test thread grows it while the client reads it. */
    static final class SynchronizedLog implements WitnessedLog {
        private final TestLog log;
        final List<NoteSignature> cosignatures = new CopyOnWriteArrayList<>();

        SynchronizedLog(TestLog log) {
            this.log = log;
        }

        synchronized void grow(int leaves) {
            log.grow(leaves);
        }

        @Override
        public synchronized SignedCheckpoint latest() {
            return new SignedCheckpoint(log.size(), log.checkpoint().text(), log.note());
        }

        @Override
        public synchronized byte[][] consistencyProof(long from, long to) {
            assertEquals(log.size(), to);
            return log.proof(from);
        }

        @Override
        public void addCosignature(long size, String body, NoteSignature cosignature) {
            cosignatures.add(cosignature);
        }
    }
}
