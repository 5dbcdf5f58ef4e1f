package io.tracemark.attest.receipts;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WitnessDelaysTest {
    private static final long MS = 1_000_000L;

    @Test
    void waitsTheFullBoundUntilItHasSeenEnoughBlocks() {
        WitnessDelays d = new WitnessDelays(1_000 * MS);
        for (int i = 0; i < 7; i++) {
            d.completed(40 * MS);
        }
        assertEquals(1_000 * MS, d.waitNanos());
    }

    @Test
    void waitsAboutAsLongAsTheWitnessesLatelyTookNotTheWholeBound() {
        WitnessDelays d = new WitnessDelays(1_000 * MS);
        for (int i = 0; i < WitnessDelays.SAMPLES; i++) {
            d.completed((100 + i % 10) * MS);
        }
        assertEquals(2 * 108 * MS, d.waitNanos(), "twice the 90th percentile of the witnesses' delays");
    }

    @Test
    void witnessesThatSlowDownLengthenTheWaitBackToTheBound() {
        WitnessDelays d = new WitnessDelays(1_000 * MS);
        for (int i = 0; i < WitnessDelays.SAMPLES; i++) {
            d.completed(100 * MS);
        }
        long wait = d.waitNanos();
        assertEquals(200 * MS, wait);
        for (int i = 0; i < 7; i++) {
            d.ranOut(wait);
        }
        assertEquals(400 * MS, d.waitNanos(), "once a tenth of the waits ran out, the next wait doubles");
        for (int i = 0; i < 24; i++) {
            d.ranOut(d.waitNanos());
        }
        assertEquals(1_000 * MS, d.waitNanos(), "and keeps growing while they run out, up to the bound");
    }

    @Test
    void neverWaitsLessThanTheFloor() {
        WitnessDelays d = new WitnessDelays(1_000 * MS);
        for (int i = 0; i < WitnessDelays.SAMPLES; i++) {
            d.completed(MS);
        }
        assertEquals(WitnessDelays.FLOOR_NANOS, d.waitNanos());
    }
}
