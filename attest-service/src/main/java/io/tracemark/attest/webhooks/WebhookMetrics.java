package io.tracemark.attest.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;

/**
 * Webhook delivery as Prometheus sees it: every attempt's latency, and what became of each attempt's message.
 * Every series is registered at start, so dashboards see 0 rather than nothing before the first delivery.
 */
@ApplicationScoped
public class WebhookMetrics {
    /** The message was delivered (2xx). */
    public static final String DELIVERED = "delivered";
    /** The attempt failed and the message is scheduled again. */
    public static final String RETRYING = "retrying";
    /** The attempt failed and no retry is left (or the SSRF guard refused the target). */
    public static final String FAILED = "failed";
    /** The endpoint answered 410 Gone and was disabled. */
    public static final String GONE = "gone";

    private final Timer latency2xx;
    private final Timer latencyError;
    private final Map<String, Counter> attempts;
    private final Counter delivered;

    public WebhookMetrics(MeterRegistry meters) {
        latency2xx = latency(meters, "2xx");
        latencyError = latency(meters, "error");
        attempts = Map.of(DELIVERED, attempts(meters, DELIVERED), RETRYING, attempts(meters, RETRYING),
                FAILED, attempts(meters, FAILED), GONE, attempts(meters, GONE));
        delivered = Counter.builder("tracemark.webhooks.delivered").description("webhook messages delivered (2xx)")
                .baseUnit("messages").register(meters);
    }

    private static Timer latency(MeterRegistry meters, String outcome) {
        return Timer.builder("tracemark.webhooks.attempt.latency")
                .description("webhook delivery attempts, from the request to the endpoint's answer or the failure, "
                        + "by HTTP outcome (2xx, error)")
                .tag("outcome", outcome).publishPercentileHistogram().register(meters);
    }

    private static Counter attempts(MeterRegistry meters, String outcome) {
        return Counter.builder("tracemark.webhooks.attempts").baseUnit("attempts")
                .description("webhook delivery attempts by what became of the message: delivered, retrying, failed, gone")
                .tag("outcome", outcome).register(meters);
    }

    /**
     * One attempt: its latency by HTTP outcome (2xx or error), and its message's outcome ({@link #DELIVERED},
     * {@link #RETRYING}, {@link #FAILED} or {@link #GONE}).
     */
    public void attempt(int status, Duration latency, String outcome) {
        (status >= 200 && status < 300 ? latency2xx : latencyError).record(latency);
        Counter c = attempts.get(outcome);
        if (c == null) {
            throw new IllegalArgumentException("unknown webhook attempt outcome " + outcome);
        }
        c.increment();
        if (DELIVERED.equals(outcome)) {
            delivered.increment();
        }
    }
}
