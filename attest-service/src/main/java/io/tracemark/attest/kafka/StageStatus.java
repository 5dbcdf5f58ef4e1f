package io.tracemark.attest.kafka;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** What readiness shows of one pipeline stage: its current run of failures, the last error, what it parked. */
public final class StageStatus {
    private volatile Instant failingSince;
    private volatile String lastError;
    private volatile Instant lastSuccess;
    private volatile boolean stopped;
    private final AtomicLong parked = new AtomicLong();

    /** Records a failure; true if it starts a run of failures (log the stack trace then, once). */
    public boolean failed(Throwable t) {
        lastError = t.toString();
        if (failingSince == null) {
            failingSince = Instant.now();
            return true;
        }
        return false;
    }

    /** Records a successful step that parked {@code poison} messages. */
    public void succeeded(int poison) {
        failingSince = null;
        lastSuccess = Instant.now();
        parked.addAndGet(poison);
    }

    /** The stage's thread ended. */
    public void stopped() {
        stopped = true;
    }

    /** Start of the current run of failed steps, or null when the last step succeeded. */
    public Instant failingSince() {
        return failingSince;
    }

    /** The last failure seen, or null. */
    public String lastError() {
        return lastError;
    }

    /** The last successful step, or null. */
    public Instant lastSuccess() {
        return lastSuccess;
    }

    /** Messages parked with their reason since start. */
    public long parked() {
        return parked.get();
    }

    /** Whether the stage's thread has ended. */
    public boolean isStopped() {
        return stopped;
    }
}
