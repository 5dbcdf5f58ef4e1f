package io.tracemark.localstack;

import java.util.HashMap;
import java.util.Map;

/**
 * How the launched attest-service delivers webhooks. Off by default, so {@code ./tracemark up} keeps
 * attest's own SSRF guard and retry schedule; fault tests turn on loopback targets (their receiver runs
 * on 127.0.0.1) and compress the schedule so that retries happen within a test run.
 *
 * @param allowLoopback  exempt 127.0.0.0/8 and ::1 from attest's SSRF guard
 * @param retrySchedule  attest's {@code tracemark.attest.webhooks.retry-schedule} (empty: attest's default)
 * @param timeout        attest's per-attempt {@code tracemark.attest.webhooks.timeout} (empty: attest's default)
 */
public record WebhookOptions(boolean allowLoopback, String retrySchedule, String timeout) {

    /** Environment variables for attest-service that carry these options (Quarkus env-var names). */
    public Map<String, String> attestEnv() {
        Map<String, String> env = new HashMap<>();
        if (allowLoopback) {
            env.put("TRACEMARK_ATTEST_WEBHOOKS_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128");
        }
        if (!retrySchedule.isBlank()) {
            env.put("TRACEMARK_ATTEST_WEBHOOKS_RETRY_SCHEDULE", retrySchedule);
        }
        if (!timeout.isBlank()) {
            env.put("TRACEMARK_ATTEST_WEBHOOKS_TIMEOUT", timeout);
        }
        return env;
    }
}
