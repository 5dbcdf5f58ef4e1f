package io.tracemark.chain.witnessing;

import java.util.concurrent.atomic.LongAdder;

/** What one witness client has seen, for metrics and readiness; updated by its thread, read by any. */
public final class WitnessStatus {
    private final String name;
    final LongAdder cosignatures = new LongAdder();
    final LongAdder splitViews = new LongAdder();
    final LongAdder rejections = new LongAdder();
    final LongAdder failures = new LongAdder();
    volatile long cosignedSize = -1;
    volatile long cosignedAtMillis;
    volatile String lastOutcome = "not contacted yet";

    WitnessStatus(String name) {
        this.name = name;
    }

    /** The witness's name. */
    public String name() {
        return name;
    }

    /** Cosignatures merged since start. */
    public long cosignatures() {
        return cosignatures.sum();
    }

    /**
     * 422 answers since start: the witness holds a cosigned checkpoint this log's checkpoint is not
     * consistent with, i.e. it was shown a split view.
     */
    public long splitViews() {
        return splitViews.sum();
    }

    /** 400, 403 and 404 answers since start: the witness does not accept this log as configured. */
    public long rejections() {
        return rejections.sum();
    }

    /** Submissions that got no answer (unreachable, timeout, 5xx, unverifiable answer) since start. */
    public long failures() {
        return failures.sum();
    }

    /** Largest size this witness cosigned for this replica, -1 if none yet. */
    public long cosignedSize() {
        return cosignedSize;
    }

    /** Wall-clock time of the last merged cosignature, 0 if none yet. */
    public long cosignedAtMillis() {
        return cosignedAtMillis;
    }

    /** The last submission's outcome, in words. */
    public String lastOutcome() {
        return lastOutcome;
    }

    @Override
    public String toString() {
        return "cosigned size " + cosignedSize + ", split views " + splitViews() + ", last: " + lastOutcome;
    }
}
