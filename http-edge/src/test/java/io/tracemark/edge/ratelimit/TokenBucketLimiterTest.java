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

    @Test
    void tellsTokensLeftAndSecondsUntilFullForTheRateLimitHeaders() {
        TokenBucketLimiter l = new TokenBucketLimiter(10, 2, 100, now::get);
        TokenBucketLimiter.Decision first = l.acquire("a");
        assertEquals(9, first.remaining());
        assertEquals(10, first.limit());
        assertEquals(1, first.resetSeconds());
        TokenBucketLimiter.Decision last = first;
        for (int i = 0; i < 9; i++) {
            last = l.acquire("a");
        }
        assertEquals(0, last.remaining());
        assertEquals(5, last.resetSeconds());
        assertEquals(5, l.windowSeconds());
    }

    @Test
    void neverTracksMoreClientsThanItsBoundEvenWhenNoneIsIdle() {
        TokenBucketLimiter l = new TokenBucketLimiter(5, 1, 50, now::get);
        for (int i = 0; i < 10_000; i++) {
            l.acquire("client-" + i);
        }
        assertTrue(l.trackedClients() <= 50, "tracked " + l.trackedClients());
    }

    @Test
    void aFractionalRateRefillsOneTokenPerInterval() {
        TokenBucketLimiter l = new TokenBucketLimiter(1, 0.1, 10, now::get);
        assertTrue(l.acquire("a").allowed());
        TokenBucketLimiter.Decision refused = l.acquire("a");
        assertEquals(10, refused.retryAfterSeconds());
        now.addAndGet(9_000_000_000L);
        assertFalse(l.acquire("a").allowed());
        now.addAndGet(1_000_000_000L);
        assertTrue(l.acquire("a").allowed());
    }
}
