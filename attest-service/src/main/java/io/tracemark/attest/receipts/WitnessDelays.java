package io.tracemark.attest.receipts;

import java.util.Arrays;

/**
 * How long a block's receipts wait for witness cosignatures: about as long as the witnesses lately took
 * (twice the 90th percentile of the last {@link #SAMPLES} blocks' delays), never longer than the configured bound
 * and never shorter than {@link #FLOOR_NANOS}. A wait that ran out is recorded at the full wait, so witnesses that
 * slow down lengthen the wait again, up to the bound; until enough blocks were seen the bound applies. So
 * receipts carry the witnesses' cosignatures whenever they come about as fast as usual, and a slow cosignature
 * delays no event by the whole bound: the receipt says it is unwitnessed or names fewer witnesses, and
 * {@code GET /v1/receipts/{id}} serves the freshest evidence. Thread-safe.
 */
final class WitnessDelays {
    static final int SAMPLES = 64;
    static final long FLOOR_NANOS = 50_000_000L;
    private static final int MIN_SAMPLES = 8;

    private final long boundNanos;
    private final long[] delays = new long[SAMPLES];
    private int count;
    private int next;

    WitnessDelays(long boundNanos) {
        this.boundNanos = boundNanos;
    }

    /** A block's evidence was complete {@code nanos} after the block arrived. */
    synchronized void completed(long nanos) {
        add(Math.max(0, nanos));
    }

    /** A block's wait of {@code waitedNanos} ran out before every witness had cosigned. */
    synchronized void ranOut(long waitedNanos) {
        add(Math.max(waitedNanos, FLOOR_NANOS));
    }

    /** How long after its arrival a block's receipts wait for the witnesses now. */
    synchronized long waitNanos() {
        if (count < MIN_SAMPLES || boundNanos <= FLOOR_NANOS) {
            return boundNanos;
        }
        long[] sorted = Arrays.copyOf(delays, count);
        Arrays.sort(sorted);
        long p90 = sorted[Math.min(count - 1, (int) Math.ceil(0.9 * count) - 1)];
        return Math.min(boundNanos, Math.max(FLOOR_NANOS, 2 * p90));
    }

    private void add(long nanos) {
        delays[next] = nanos;
        next = (next + 1) % SAMPLES;
        count = Math.min(SAMPLES, count + 1);
    }
}
