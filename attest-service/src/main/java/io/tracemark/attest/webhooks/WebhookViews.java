package io.tracemark.attest.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.bson.Document;

import java.time.Instant;
import java.util.List;

/** Request and response bodies of the webhook API. */
public final class WebhookViews {
    private WebhookViews() {
    }

    /** Create or update body; on update, absent fields are left unchanged. */
    public record SubscriptionInput(String url, List<String> eventTypes, List<String> gtins, List<String> works,
                                    Boolean enabled, String description) {
    }

    /** A subscription as shown to its tenant; {@code secret} only in the creation response. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SubscriptionView(String id, String url, List<String> eventTypes, List<String> gtins, List<String> works,
                                   boolean enabled, String description, Instant createdAt, Instant updatedAt,
                                   String disabledReason, Instant failingSince, String secret) {
        static SubscriptionView of(Subscription s, String secret) {
            return new SubscriptionView(s.id(), s.url(), s.eventTypes(), s.gtins(), s.works(), s.enabled(), s.description(),
                    s.createdAt(), s.updatedAt(), s.disabledReason(), s.failingSince(), secret);
        }
    }

    /** Rotation body: how long the old secret keeps signing (ISO-8601 duration). */
    public record RotateInput(String overlap) {
    }

    /** Rotation response: the new secret, shown once. */
    public record RotateView(String secret, Instant previousSecretsExpireAt) {
    }

    /** Bulk replay body. */
    public record ReplayInput(Instant since) {
    }

    /** A message and its delivery state. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MessageView(String id, String eventId, String type, String state, int attempts, Instant nextAttemptAt,
                              Integer lastStatus, Instant createdAt, String failure) {
        static MessageView of(Document d) {
            return new MessageView(d.getString("_id"), d.getString("eventId"), d.getString("type"), d.getString("state"),
                    d.getInteger("attempts", 0), instant(d, "nextAttemptAt"), d.getInteger("lastStatus"),
                    instant(d, "createdAt"), d.getString("failure"));
        }
    }

    /** One logged attempt. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttemptView(int attempt, Instant at, int status, long latencyMs, String error, String responseExcerpt) {
        static AttemptView of(Document d) {
            return new AttemptView(d.getInteger("attempt", 0), instant(d, "at"), d.getInteger("status", 0),
                    d.get("latencyMs", Number.class).longValue(), d.getString("error"), d.getString("responseExcerpt"));
        }
    }

    private static Instant instant(Document d, String field) {
        return d.getDate(field) == null ? null : d.getDate(field).toInstant();
    }
}
