package io.tracemark.localstack.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time each process of the stack spent during a run, from the operating system
 * ({@link ProcessHandle.Info#totalCpuDuration()}): unlike throughput on a shared machine, CPU per record does
 * not depend on what else runs, so it tells which process a change made cheaper.
 */
final class CpuUse {
    /** Parts of the load driver's own process (it also runs the embedded Kafka broker and MongoDB-wire server), told apart by their threads' names. */
    static final String MONGO = "local-stack: MongoDB-wire server";
    static final String KAFKA = "local-stack: Kafka broker";
    static final String LOAD = "local-stack: load driver";
    static final String JVM = "local-stack: GC, JIT";

    private CpuUse() {
    }

    /**
     * CPU per record by process.
     *
     * @param msPerRecord CPU milliseconds per record, by process; processes the OS would not tell are left out
     * @param cores       processors available to the stack
     * @param jitMsPerRecord CPU milliseconds per record of the JIT compiler threads, by process (part of
     *                    {@code msPerRecord}); empty where the machine does not tell threads' CPU
     */
    record Delta(Map<String, Double> msPerRecord, int cores, Map<String, Double> jitMsPerRecord) {
        Delta(Map<String, Double> msPerRecord, int cores) {
            this(msPerRecord, cores, Map.of());
        }

        /** The same figures with the compiler threads' seconds of the run spread over its records. */
        Delta withJit(Map<String, Double> jitSeconds, long records) {
            Map<String, Double> jit = new LinkedHashMap<>();
            jitSeconds.forEach((name, sec) -> jit.put(name, records == 0 ? 0 : sec * 1000 / records));
            return new Delta(msPerRecord, cores, jit);
        }

        /** JIT compiler threads of all processes together, ms per record. */
        double jitTotalMsPerRecord() {
            return jitMsPerRecord.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** All processes together. */
        double totalMsPerRecord() {
            return msPerRecord.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** The records per second this CPU cost allows at most, all cores busy with nothing else. */
        double ceilingPerSecond() {
            double total = totalMsPerRecord();
            return total <= 0 ? 0 : cores * 1000.0 / total;
        }
    }

    /**
     * CPU time used so far by each named process and by this one, split by its threads' names into the
     * MongoDB-wire server, the Kafka broker, the load driver, and the rest (GC and JIT threads, and threads
     * ended since the start), so a report says which embedded part a run's CPU went to.
     */
    static Map<String, Duration> sample(Map<String, Long> pids) {
        Map<String, Duration> out = new LinkedHashMap<>();
        pids.forEach((name, pid) -> ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration())
                .ifPresent(d -> out.put(name, d)));
        ProcessHandle.current().info().totalCpuDuration().ifPresent(total -> {
            Map<String, Long> parts = threadNanosByPart();
            long named = parts.values().stream().mapToLong(Long::longValue).sum();
            parts.forEach((part, nanos) -> out.put(part, Duration.ofNanos(nanos)));
            out.put(JVM, total.minusNanos(Math.min(named, total.toNanos())));
        });
        return out;
    }

    /** Which part of this JVM a thread works for, by its name. */
    static String partOf(String threadName) {
        if (threadName.startsWith("mongo-server")) {
            return MONGO;
        }
        if (threadName.startsWith("load-") || threadName.startsWith("HttpClient-") || threadName.equals("main")
                || threadName.startsWith("ForkJoinPool") || threadName.startsWith("kafka-producer-network-thread")
                || threadName.startsWith("kafka-coordinator-heartbeat-thread")) {
            return LOAD;
        }
        return KAFKA;
    }

    /**
     * Each thread of this process ever sampled, with its part and its CPU at its last sample: a thread that ended
     * (the warm-up's receipt checkers, say) keeps what it used, so the named parts never shrink between samples.
     */
    private static final Map<Long, Object[]> SEEN = new java.util.HashMap<>();

    private static synchronized Map<String, Long> threadNanosByPart() {
        Map<String, Long> parts = new LinkedHashMap<>();
        parts.put(MONGO, 0L);
        parts.put(KAFKA, 0L);
        parts.put(LOAD, 0L);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported()) {
            return Map.of();
        }
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long nanos = threads.getThreadCpuTime(t.getThreadId());
            if (nanos > 0) {
                SEEN.put(t.getThreadId(), new Object[]{partOf(t.getThreadName()), nanos});
            }
        }
        SEEN.values().forEach(v -> parts.merge((String) v[0], (Long) v[1], Long::sum));
        return parts;
    }

    /** What each process used between two samples, per record. */
    static Delta delta(Map<String, Duration> before, Map<String, Duration> after, long records) {
        Map<String, Double> out = new LinkedHashMap<>();
        after.forEach((name, d) -> {
            Duration b = before.get(name);
            if (b != null && records > 0) {
                out.put(name, d.minus(b).toNanos() / 1e6 / records);
            }
        });
        return new Delta(out, Runtime.getRuntime().availableProcessors());
    }
}
