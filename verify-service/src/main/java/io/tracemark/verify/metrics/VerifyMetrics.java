package io.tracemark.verify.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The public API's domain signals: verification verdicts, and claim lookups by what was asked and found. */
@ApplicationScoped
public class VerifyMetrics {
    /** Meter of verdicts answered, tagged {@code verdict}. */
    public static final String VERDICTS = "tracemark.verify.verifications";
    /** Timer of claim lookups, tagged {@code by} (sha256, phash, both) and {@code outcome} (exact, near-duplicate, none). */
    public static final String CLAIM_LOOKUPS = "tracemark.verify.claim.lookups";

    private final MeterRegistry registry;

    public VerifyMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts one verdict (valid, valid-with-warnings, invalid, indeterminate) and the checks that failed. */
    public void verdict(String verdict, List<String> failedChecks) {
        Counter.builder(VERDICTS).baseUnit("verifications")
                .description("verification verdicts answered by POST /v1/verify, by verdict")
                .tag("verdict", verdict).register(registry).increment();
        for (String code : failedChecks) {
            Counter.builder("tracemark.verify.failed.checks").baseUnit("checks")
                    .description("checks that failed in answered verifications, by stable check code")
                    .tag("check", code).register(registry).increment();
        }
    }

    /** Times one claim lookup. */
    public void claimLookup(boolean bySha256, boolean byPhash, int exact, int near, long nanos) {
        String by = bySha256 && byPhash ? "both" : bySha256 ? "sha256" : "phash";
        String outcome = exact > 0 ? "exact" : near > 0 ? "near-duplicate" : "none";
        Timer.builder(CLAIM_LOOKUPS)
                .description("claim lookups (POST /v1/claims/verify): what was asked and the best match found")
                .tag("by", by).tag("outcome", outcome).register(registry)
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
