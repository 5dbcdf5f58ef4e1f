package io.tracemark.localstack.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JitShareTest {
    @TempDir
    Path proc;

    private void thread(long pid, long tid, String name, long utime, long stime) throws IOException {
        Path task = Files.createDirectories(proc.resolve(pid + "/task/" + tid));
        Files.writeString(task.resolve("comm"), name + "\n");
        // Fields 14 and 15 of stat are utime and stime; the command name in parentheses may hold spaces.
        Files.writeString(task.resolve("stat"), tid + " (" + name + ") S 1 1 1 0 -1 4194560 1 0 0 0 " + utime + " " + stime
                + " 0 0 20 0 30 0 100 0 0\n");
    }

    @Test
    void countsOnlyCompilerThreadsFromTheirFirstSampleAndKeepsThoseThatEnded() throws IOException {
        thread(7, 70, "C2 CompilerThre", 500, 100);
        thread(7, 71, "executor-thread", 9000, 900);
        thread(8, 80, "C1 CompilerThre", 40, 0);
        JitShare share = new JitShare(proc, Map.of("ingest-service", 7L, "attest-service", 8L));
        share.sample();
        thread(7, 70, "C2 CompilerThre", 800, 150);   // +350 ticks
        thread(7, 71, "executor-thread", 20000, 900); // not a compiler thread
        thread(7, 72, "C2 CompilerThre", 120, 30);    // started during the run: all of its 150 ticks count
        thread(8, 80, "C1 CompilerThre", 90, 10);     // +60 ticks
        share.sample();
        deleteRecursively(proc.resolve("8/task/80")); // ended: what it used still counts
        Map<String, Double> seconds = share.secondsByProcess();
        assertEquals(5.0, seconds.get("ingest-service"), 1e-9);
        assertEquals(0.6, seconds.get("attest-service"), 1e-9);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
