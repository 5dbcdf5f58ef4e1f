package io.tracemark.localstack.load;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time each process of the stack spent during a run, from the operating system
 * ({@link ProcessHandle.Info#totalCpuDuration()}): unlike throughput on a shared machine, CPU per record does
 * not depend on what else runs, so it tells which process a change made cheaper.
 */
final class CpuUse {
    /** The load driver's own process: it also runs the embedded Kafka broker and MongoDB-wire server. */
    static final String DRIVER = "local-stack JVM (Kafka, MongoDB-wire server, load driver)";

    private CpuUse() {
    }

    /**
     * CPU per record by process.
     *
     * @param msPerRecord CPU milliseconds per record, by process; processes the OS would not tell are left out
     * @param cores       processors available to the stack
     */
    record Delta(Map<String, Double> msPerRecord, int cores) {
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

    /** CPU time used so far by each named process and by this one. */
    static Map<String, Duration> sample(Map<String, Long> pids) {
        Map<String, Duration> out = new LinkedHashMap<>();
        pids.forEach((name, pid) -> ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration())
                .ifPresent(d -> out.put(name, d)));
        ProcessHandle.current().info().totalCpuDuration().ifPresent(d -> out.put(DRIVER, d));
        return out;
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
