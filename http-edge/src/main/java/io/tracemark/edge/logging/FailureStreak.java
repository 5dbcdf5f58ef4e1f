package io.tracemark.edge.logging;

import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Logs a failure that is retried: the first of a streak with its stack trace, the retries after it on one line
 * each, so a long outage neither hides its cause nor fills the log with the same trace. Thread-safe.
 */
public final class FailureStreak {
    private final Logger log;
    private final AtomicBoolean failing = new AtomicBoolean();

    /** A streak logged to {@code log} at WARN. */
    public FailureStreak(Logger log) {
        this.log = log;
    }

    /** Logs that {@code what} failed with {@code e}: with the stack trace if it is the first failure since a success. */
    public void failed(String what, Throwable e) {
        if (failing.compareAndSet(false, true)) {
            log.warnf(e, "%s (stack trace logged once until it succeeds)", what);
        } else {
            log.warnf("%s again: %s", what, e);
        }
    }

    /** Ends the streak: the next failure is logged with its stack trace again. */
    public void succeeded() {
        failing.set(false);
    }
}
