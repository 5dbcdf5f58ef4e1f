package io.tracemark.localstack.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU the JVMs' JIT compiler threads (HotSpot's {@code C1 CompilerThread}, {@code C2 CompilerThread}) spent
 * during a run, by process, read from Linux's {@code /proc/<pid>/task/<tid>/stat}. On two cores shared by seven
 * JVMs, compiling is a large part of a short run's CPU, and it says how far a run is from a warmed-up steady
 * state. Compiler threads come and go, so the run is sampled every half second and each thread counts from
 * its first sample (or from zero if it started during the run) to its last.
 */
final class JitShare implements AutoCloseable {
    private static final Path PROC = Path.of("/proc");
    /** {@code USER_HZ}: Linux reports thread CPU in hundredths of a second on every architecture it runs on. */
    private static final double TICKS_PER_SECOND = 100.0;
    private final Path proc;
    private final Map<String, Long> pids;
    private final Map<String, long[]> threads = new HashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;
    private boolean first = true;

    JitShare(Path proc, Map<String, Long> pids) {
        this.proc = proc;
        this.pids = new LinkedHashMap<>(pids);
        this.sampler = new Thread(this::loop, "load-jit-share");
        this.sampler.setDaemon(true);
    }

    /** Starts sampling the compiler threads of the named processes; the current process is included as {@code local-stack}. */
    static JitShare start(Map<String, Long> pids) {
        Map<String, Long> all = new LinkedHashMap<>(pids);
        all.put("local-stack", ProcessHandle.current().pid());
        JitShare s = new JitShare(PROC, all);
        s.sample();
        s.sampler.start();
        return s;
    }

    /** Whether this machine tells threads' CPU (Linux). */
    static boolean supported() {
        return Files.isReadable(PROC.resolve("self/task"));
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            sample();
        }
    }

    /** Reads every compiler thread's CPU once more. */
    synchronized void sample() {
        pids.forEach((name, pid) -> {
            try (Stream<Path> tasks = Files.list(proc.resolve(pid + "/task"))) {
                tasks.forEach(task -> {
                    long ticks = compilerTicks(task);
                    if (ticks >= 0) {
                        long[] seen = threads.computeIfAbsent(name + "/" + task.getFileName(),
                                k -> new long[]{first ? ticks : 0, ticks});
                        seen[1] = ticks;
                    }
                });
            } catch (IOException | RuntimeException e) {
                // The process ended or restarted: what it compiled so far still counts.
            }
        });
        first = false;
    }

    /** utime + stime of a compiler thread, or -1 for any other thread (or one that just ended). */
    private static long compilerTicks(Path task) {
        try {
            String comm = Files.readString(task.resolve("comm")).strip();
            if (!comm.startsWith("C1 CompilerThre") && !comm.startsWith("C2 CompilerThre")) {
                return -1;
            }
            String stat = Files.readString(task.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Seconds of CPU the compiler threads used since the start, by process. */
    synchronized Map<String, Double> secondsByProcess() {
        sample();
        Map<String, Double> out = new LinkedHashMap<>();
        pids.keySet().forEach(n -> out.put(n, 0.0));
        threads.forEach((key, t) -> out.merge(key.substring(0, key.lastIndexOf('/')), (t[1] - t[0]) / TICKS_PER_SECOND, Double::sum));
        return out;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
