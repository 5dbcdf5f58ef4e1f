package io.tracemark.localstack;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ctrl-C reaches every service of the terminal's process group: that is a stop, not a failure. */
class ServiceWatchTest {
    private final List<Process> started = new ArrayList<>();

    private ServiceProcess sleeper(String name) throws Exception {
        // Not plain sleep: a job started in the background of a non-interactive shell inherits SIGINT ignored (POSIX),
        // and sleep would then outlive the Ctrl-C this test sends; perl puts the default action back.
        Process p = new ProcessBuilder("perl", "-e", "$SIG{INT} = 'DEFAULT'; sleep 60").start();
        started.add(p);
        return ServiceProcess.adopt(name, 0, p, Path.of("logs", name + ".log"));
    }

    private static void signal(ServiceProcess p, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
        for (int i = 0; i < 100 && p.isAlive(); i++) {
            Thread.sleep(50);
        }
    }

    @AfterEach
    void killLeftovers() throws Exception {
        for (Process p : started) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void serviceEndedByCtrlCIsNotReportedButACrashIsReportedOnceWithItsLog() throws Exception {
        ServiceProcess interrupted = sleeper("ingest-service");
        ServiceProcess crashed = sleeper("attest-service");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ServiceWatch watch = new ServiceWatch(() -> List.of(interrupted, crashed), () -> false,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(List.of(), watch.checkOnce());

        signal(interrupted, "INT");
        signal(crashed, "KILL");
        assertTrue(interrupted.endedByCtrlC());
        assertEquals(List.of("attest-service"), watch.checkOnce());
        assertEquals(List.of(), watch.checkOnce());
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("attest-service stopped unexpectedly (exit status 137); see logs/attest-service.log"), said);
        assertTrue(!said.contains("ingest-service"), said);
    }

    @Test
    void nothingIsReportedWhileTheStackStops() throws Exception {
        ServiceProcess terminated = sleeper("verify-service");
        AtomicBoolean stopping = new AtomicBoolean(true);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ServiceWatch watch = new ServiceWatch(() -> List.of(terminated), stopping::get,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        signal(terminated, "TERM");
        assertEquals(List.of(), watch.checkOnce());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }
}
