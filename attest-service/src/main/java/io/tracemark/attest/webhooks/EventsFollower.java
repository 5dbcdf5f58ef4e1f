package io.tracemark.attest.webhooks;

import io.smallrye.common.annotation.Blocking;
import io.tracemark.attest.tracing.RecordTraces;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.events.EventRouting;
import java.nio.charset.StandardCharsets;
import io.tracemark.contracts.events.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Webhooks consume the event store: each poll of {@code tracemark.events} (committed events only) is fanned
 * out in memory to the matching subscriptions, attempted at once, and the messages are written with their
 * first outcome in bulk ({@link DeliveryStore#flush}, as soon as the poll's last first outcome is in) before the
 * offsets are committed. Messages whose first attempt takes longer than
 * {@code tracemark.attest.webhooks.first-attempt-wait} (a slow endpoint) are written as pending instead, so one
 * endpoint never holds up the others. A redelivered poll yields the same message ids and {@code webhook-id}s.
 */
@ApplicationScoped
public class EventsFollower {
    private static final Logger LOG = Logger.getLogger(EventsFollower.class);

    @Inject
    DeliveryStore deliveries;
    @Inject
    SubscriptionStore subscriptions;
    @ConfigProperty(name = "tracemark.attest.webhooks.enabled", defaultValue = "true")
    boolean enabled;
    @ConfigProperty(name = "tracemark.attest.webhooks.first-attempt-wait", defaultValue = "2s")
    Duration firstAttemptWait;

    @Incoming("webhook-events")
    @Blocking
    // Bounded: after ten minutes of a store outage the channel fails and health says so; the events stay on
    // their topic and are fanned out after the restart.
    @Retry(maxRetries = -1, delay = 200, maxDuration = 600_000, jitter = 100)
    @ExponentialBackoff(maxDelay = 10_000)
    public void consume(ConsumerRecords<byte[], byte[]> records) {
        if (!enabled) {
            return;
        }
        List<DeliveryStore.Located> events = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String tenant = EventCodec.tenantOf(r.key());
            if (tenant != null && subscriptions.forTenant(tenant).isEmpty()) {
                // Most tenants subscribe to nothing: their events (a whole receipt each) are not even parsed.
                continue;
            }
            java.util.function.Function<String, byte[]> header = name -> {
                Header h = r.headers().lastHeader(name);
                return h == null ? null : h.value();
            };
            try {
                // The value is the body as delivered: routed on headers, sent as is, never parsed or re-encoded.
                EventRouting routing = EventCodec.routing(r.key(), header);
                if (routing == null) {
                    routing = EventRouting.of(EventCodec.decode(r.value(), header));
                }
                byte[] trace = header.apply(RecordTraces.TRACEPARENT);
                events.add(new DeliveryStore.Located(routing, r.value(), r.topic(),
                        r.partition(), r.offset(), trace == null ? null : new String(trace, StandardCharsets.US_ASCII)));
            } catch (ContractViolation e) {
                LOG.errorf(e, "event at %s-%d/%d is unreadable and is not delivered (%s)", r.topic(), r.partition(),
                        r.offset(), e.code());
            }
        }
        DeliveryStore.Fanout fanout = deliveries.enqueue(events);
        try {
            fanout.answered().get(firstAttemptWait.toMillis(), TimeUnit.MILLISECONDS);
            // Written now rather than at the worker's next periodic flush, so the next poll starts sooner.
            deliveries.flush();
            await(fanout);
        } catch (TimeoutException slow) {
            deliveries.persistPending(fanout.ids());
            deliveries.flush();
            await(fanout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing webhook messages", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("webhook messages not written: " + e.getCause(), e.getCause());
        }
    }

    private static void await(DeliveryStore.Fanout fanout) {
        try {
            fanout.written().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing webhook messages", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("webhook messages not written within 30 s (store down?)", e);
        }
    }
}
