package io.tracemark.attest.webhooks;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try a webhook message again: a configurable schedule (default immediately, 5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h, 10 h) with ± jitter so endpoints recovering from an outage are not hit in lock-step, and
 * a server's {@code Retry-After} honoured on 429 and 503.
 */
@ApplicationScoped
public class RetrySchedule {
    private final List<Duration> delays;
    private final double jitter;
    private final Duration maxRetryAfter;

    public RetrySchedule(@ConfigProperty(name = "tracemark.attest.webhooks.retry-schedule") List<Duration> delays,
                         @ConfigProperty(name = "tracemark.attest.webhooks.retry-jitter", defaultValue = "0.2") double jitter,
                         @ConfigProperty(name = "tracemark.attest.webhooks.max-retry-after", defaultValue = "PT24H") Duration maxRetryAfter) {
        this.delays = List.copyOf(delays);
        this.jitter = jitter;
        this.maxRetryAfter = maxRetryAfter;
    }

    /** How many attempts a message gets in total. */
    public int attempts() {
        return delays.size();
    }

    /** Delay before attempt {@code attempt} (0-based), jittered; empty when the schedule is exhausted. */
    public Optional<Duration> delayBefore(int attempt) {
        if (attempt >= delays.size()) {
            return Optional.empty();
        }
        long ms = delays.get(attempt).toMillis();
        double factor = 1 + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-jitter, jitter));
        return Optional.of(Duration.ofMillis(Math.round(ms * factor)));
    }

    /** The delay a {@code Retry-After} header asks for (delta-seconds or HTTP-date, RFC 9110 §10.2.3), capped. */
    public Optional<Duration> retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        Duration d;
        try {
            d = Duration.ofSeconds(Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            try {
                d = Duration.between(now, ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (RuntimeException unparsable) {
                return Optional.empty();
            }
        }
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        return Optional.of(d.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : d);
    }
}
