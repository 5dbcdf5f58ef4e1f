package io.tracemark.edge.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketLimiterTest {
    private final AtomicLong now = new AtomicLong();

    @Test
    void allowsBurstThenRefusesWithRetryAfterUntilRefilled() {
        TokenBucketLimiter l = new TokenBucketLimiter(3, 0.5, 100, now::get);
        for (int i = 0; i < 3; i++) {
            assertTrue(l.acquire("a").allowed());
        }
        TokenBucketLimiter.Decision refused = l.acquire("a");
        assertFalse(refused.allowed());
        assertEquals(2, refused.retryAfterSeconds());
        now.addAndGet(2_000_000_000L);
        assertTrue(l.acquire("a").allowed());
        assertFalse(l.acquire("a").allowed());
    }

    @Test
    void clientsHaveSeparateBuckets() {
        TokenBucketLimiter l = new TokenBucketLimiter(1, 1, 100, now::get);
        assertTrue(l.acquire("a").allowed());
        assertFalse(l.acquire("a").allowed());
        assertTrue(l.acquire("b").allowed());
    }

    @Test
    void dropsIdleBucketsBeyondTheClientBound() {
        TokenBucketLimiter l = new TokenBucketLimiter(1, 1, 2, now::get);
        for (int i = 0; i < 5; i++) {
            l.acquire("c" + i);
        }
        now.addAndGet(5_000_000_000L);
        l.acquire("late");
        assertEquals(1, l.trackedClients());
    }
}
