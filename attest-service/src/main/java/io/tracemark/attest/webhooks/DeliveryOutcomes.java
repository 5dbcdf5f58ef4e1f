package io.tracemark.attest.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.attest.events.EventLog;
import io.tracemark.contracts.Json;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an attempt's result makes of its message: 2xx delivered; 410 disables the endpoint; 429/503 retry after
 * {@code Retry-After}; anything else retries on the {@link RetrySchedule}; an endpoint failing continuously for
 * {@code tracemark.attest.webhooks.disable-after} is disabled and an {@code endpoint.disabled} event raised. The
 * attempt is logged through {@link DeliveryStore#outcome} (in bulk) and counted in {@link WebhookMetrics}.
 */
@ApplicationScoped
public class DeliveryOutcomes {
    private static final Logger LOG = Logger.getLogger(DeliveryOutcomes.class);

    @Inject
    DeliveryStore store;
    @Inject
    SubscriptionStore subscriptions;
    @Inject
    RetrySchedule schedule;
    @Inject
    EventLog events;
    @Inject
    WebhookMetrics metrics;
    @ConfigProperty(name = "tracemark.attest.webhooks.disable-after", defaultValue = "P5D")
    Duration disableAfter;

    /** Records attempt {@code attempt} of message {@code m}; returns when to try it again, or empty when it is final. */
    public Optional<Instant> record(Document m, Subscription sub, int attempt, AttemptSender.Result r) {
        Instant end = Instant.now();
        int status = r.status();
        long latency = Duration.between(r.start(), end).toMillis();
        var a = new DeliveryStore.Attempt(m.getString("_id"), sub.id(), sub.tenant(), attempt, r.start(), status, latency,
                r.error(), r.excerpt());
        if (status >= 200 && status < 300) {
            store.outcome(a, DeliveryStore.DELIVERED, null);
            metrics.attempt(status, Duration.ofMillis(latency), WebhookMetrics.DELIVERED);
            subscriptions.healthy(sub);
            return Optional.empty();
        }
        if (status == 410) {
            store.outcome(a, DeliveryStore.FAILED, null);
            metrics.attempt(status, Duration.ofMillis(latency), WebhookMetrics.GONE);
            disable(sub, "gone", "the endpoint answered 410 Gone");
            return Optional.empty();
        }
        Optional<Duration> delay = (status == 429 || status == 503)
                ? schedule.retryAfter(r.retryAfter(), end).or(() -> schedule.delayBefore(attempt)) : schedule.delayBefore(attempt);
        if (r.refused()) {
            delay = Optional.empty();
        }
        Optional<Instant> next = delay.map(end::plus);
        store.outcome(a, next.isPresent() ? DeliveryStore.PENDING : DeliveryStore.FAILED, next.orElse(null));
        metrics.attempt(status, Duration.ofMillis(latency), next.isPresent() ? WebhookMetrics.RETRYING : WebhookMetrics.FAILED);
        subscriptions.failing(sub, r.start());
        Instant since = sub.failingSince() == null ? r.start() : sub.failingSince();
        if (Duration.between(since, end).compareTo(disableAfter) >= 0) {
            disable(sub, "failing", "every attempt failed since " + since);
        }
        return next;
    }

    private void disable(Subscription sub, String reason, String detail) {
        if (subscriptions.disable(sub, reason)) {
            LOG.infof("webhook endpoint %s of tenant %s disabled: %s", sub.id(), sub.tenant(), detail);
            Instant now = Instant.now();
            ObjectNode data = Json.MAPPER.createObjectNode().put("endpointId", sub.id()).put("reason", reason).put("detail", detail);
            events.append(List.of(new Event(Event.idOf(EventTypes.ENDPOINT_DISABLED, sub.id() + ":" + now.toEpochMilli()),
                    EventTypes.ENDPOINT_DISABLED, now, sub.tenant(), List.of(), null, data)));
        }
    }
}
