package io.tracemark.attest.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/** Webhook delivery as Prometheus sees it: every attempt's latency, and what became of each attempt's message. */
@ApplicationScoped
public class WebhookMetrics {
    private final MeterRegistry meters;

    public WebhookMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /**
     * One attempt: its latency by HTTP outcome (2xx or error), and its message's outcome: delivered, retrying
     * (scheduled again), failed (retries exhausted or refused by the SSRF guard) or gone (410, endpoint disabled).
     */
    public void attempt(int status, Duration latency, String outcome) {
        Timer.builder("tracemark.webhooks.attempt.latency")
                .description("webhook delivery attempts, from the request to the endpoint's answer or the failure")
                .tag("outcome", status >= 200 && status < 300 ? "2xx" : "error")
                .publishPercentiles(0.5, 0.99).register(meters).record(latency);
        Counter.builder("tracemark.webhooks.attempts").baseUnit("attempts")
                .description("webhook delivery attempts by what became of the message: delivered, retrying, failed, gone")
                .tag("outcome", outcome).register(meters).increment();
        if ("delivered".equals(outcome)) {
            Counter.builder("tracemark.webhooks.delivered").description("webhook messages delivered (2xx)")
                    .baseUnit("messages").register(meters).increment();
        }
    }
}
