package io.tracemark.edge.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Per-client token buckets (Bucket4j): each client may burst up to {@code capacity} requests and is
 * refilled at {@code perSecond}. A decision carries what an HTTP 429's {@code Retry-After} (RFC 9110
 * §10.2.3) and the {@code RateLimit-*} headers should say.
 *
 * <p>Memory stays bounded without scanning: the buckets live in a Caffeine cache of at most
 * {@code maxClients} entries, and a bucket idle long enough to be full again is dropped, which loses
 * nothing since a full bucket is what a new client gets anyway.
 */
public final class TokenBucketLimiter {
    private final long capacity;
    private final Duration perToken;
    private final Duration refillWhole;
    private final TimeMeter clock;
    private final Cache<String, Bucket> buckets;

    /** A limiter on the system's monotonic clock. */
    public TokenBucketLimiter(int capacity, double perSecond, int maxClients) {
        this(capacity, perSecond, maxClients, System::nanoTime);
    }

    /** A limiter on an explicit monotonic nanosecond clock (for tests). */
    public TokenBucketLimiter(int capacity, double perSecond, int maxClients, LongSupplier nanoClock) {
        if (capacity < 1 || perSecond <= 0 || maxClients < 1) {
            throw new IllegalArgumentException("capacity, rate and client bound must be positive");
        }
        this.capacity = capacity;
        // One token every 1/rate seconds, refilled greedily: any rate, fractional ones too, is exact.
        this.perToken = Duration.ofNanos(Math.max(1, Math.round(1e9 / perSecond)));
        this.refillWhole = perToken.multipliedBy(capacity);
        this.clock = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanoClock.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        this.buckets = Caffeine.newBuilder().maximumSize(maxClients).expireAfterAccess(refillWhole)
                .ticker(nanoClock::getAsLong).executor(Runnable::run).build();
    }

    /**
     * The outcome for one request: allowed or refused with the whole seconds until a token is back, the
     * tokens left, the bucket's size, and the whole seconds until it is full again.
     */
    public record Decision(boolean allowed, long retryAfterSeconds, long remaining, long limit, long resetSeconds) {
    }

    /** Takes one token from {@code client}'s bucket if it has one. */
    public Decision acquire(String client) {
        Bucket b = buckets.get(client, k -> Bucket.builder().withCustomTimePrecision(clock)
                .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(1, perToken).build()).build());
        ConsumptionProbe p = b.tryConsumeAndReturnRemaining(1);
        long reset = seconds(p.getNanosToWaitForReset());
        if (p.isConsumed()) {
            return new Decision(true, 0, p.getRemainingTokens(), capacity, reset);
        }
        return new Decision(false, Math.max(1, seconds(p.getNanosToWaitForRefill())), 0, capacity, reset);
    }

    /** Seconds for the whole bucket to refill from empty: the window of the {@code RateLimit-Policy}. */
    public long windowSeconds() {
        return Math.max(1, seconds(refillWhole.toNanos()));
    }

    /** Number of clients currently tracked. */
    public long trackedClients() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
