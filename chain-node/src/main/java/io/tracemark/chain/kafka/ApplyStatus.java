package io.tracemark.chain.kafka;

import java.util.concurrent.atomic.LongAdder;

/** What the apply loop reports about itself, for health checks and metrics. */
public final class ApplyStatus {
    private volatile boolean running;
    private volatile Throwable failure;
    private volatile long kafkaReachableAt;
    private volatile long lastAppliedAt;
    private volatile long lag = -1;
    private final LongAdder leavesApplied = new LongAdder();

    void started() {
        running = true;
    }

    void failed(Throwable t) {
        failure = t;
        running = false;
    }

    void stopped() {
        running = false;
    }

    void reachable(long now, long lagRecords) {
        kafkaReachableAt = now;
        lag = lagRecords;
    }

    void applied(long now, long leaves) {
        lastAppliedAt = now;
        leavesApplied.add(leaves);
    }

    /** Leaves this process has applied from the topic since it started. */
    public long leavesApplied() {
        return leavesApplied.sum();
    }

    /** Whether the loop is running (false once it died or stopped). */
    public boolean running() {
        return running;
    }

    /** Why the loop died, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Wall-clock time of the last successful end-offset query. */
    public long kafkaReachableAt() {
        return kafkaReachableAt;
    }

    /** Wall-clock time records were last applied. */
    public long lastAppliedAt() {
        return lastAppliedAt;
    }

    /** Records between the applied position and the topic end at the last query, -1 if unknown. */
    public long lag() {
        return lag;
    }
}
