package io.tracemark.edge.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-client token buckets: each client may burst up to {@code capacity} requests and is refilled at
 * {@code perSecond}. A refused request learns how many whole seconds until a token is back, which is
 * what an HTTP 429's {@code Retry-After} (RFC 9110 §10.2.3) should say.
 *
 * <p>Memory stays bounded: once more than {@code maxClients} buckets exist, full (idle) buckets are
 * dropped, which loses nothing since a full bucket is what a new client gets anyway.
 */
public final class TokenBucketLimiter {
    private final double capacity;
    private final double perNano;
    private final int maxClients;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

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
        this.perNano = perSecond / 1e9;
        this.maxClients = maxClients;
        this.nanoClock = nanoClock;
    }

    /** The outcome for one request: allowed, or refused with the seconds to wait. */
    public record Decision(boolean allowed, long retryAfterSeconds, long remaining) {
    }

    /** Takes one token from {@code client}'s bucket if it has one. */
    public Decision acquire(String client) {
        long now = nanoClock.getAsLong();
        if (buckets.size() > maxClients) {
            buckets.values().removeIf(b -> b.isFull(now));
        }
        Bucket b = buckets.computeIfAbsent(client, k -> new Bucket(capacity, now));
        synchronized (b) {
            b.refill(now);
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return new Decision(true, 0, (long) b.tokens);
            }
            long waitNanos = (long) Math.ceil((1 - b.tokens) / perNano);
            return new Decision(false, Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L), 0);
        }
    }

    /** Number of clients currently tracked. */
    public int trackedClients() {
        return buckets.size();
    }

    private final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        void refill(long now) {
            tokens = Math.min(capacity, tokens + (now - updated) * perNano);
            updated = now;
        }

        synchronized boolean isFull(long now) {
            return tokens + (now - updated) * perNano >= capacity;
        }
    }
}
