package io.tracemark.attest.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.bson.Document;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** Request and response bodies of the webhook API. */
public final class WebhookViews {
    private WebhookViews() {
    }

    /** Create or update body; on update, absent fields are left unchanged. */
    @Schema(name = "WebhookSubscriptionInput", description = "On create, url is required; on update, absent members stay unchanged.")
    public record SubscriptionInput(
            @Schema(description = "The endpoint URL; targets in private, loopback or link-local networks are refused unless "
                    + "the operator allows them",
                    example = "https://example.com/hooks/tracemark") String url,
            @Schema(description = "Event types, prefix wildcards (record.*) or *; empty means all",
                    example = "[\"record.anchored\"]") List<String> eventTypes,
            @Schema(description = "Only events about these GTINs (8, 12, 13 or 14 digits)") List<String> gtins,
            @Schema(description = "Only events about these works (hex SHA-256 of the file)") List<String> works,
            @Schema(description = "Default true; re-enabling clears a disabled reason") Boolean enabled,
            @Schema(example = "ERP connector") String description) {
    }

    /** A subscription as shown to its tenant; {@code secret} only in the creation response. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "WebhookSubscription")
    public record SubscriptionView(String id, String url, List<String> eventTypes, List<String> gtins, List<String> works,
                                   boolean enabled, String description, Instant createdAt, Instant updatedAt,
                                   String disabledReason, Instant failingSince, String secret) {
        static SubscriptionView of(Subscription s, String secret) {
            return new SubscriptionView(s.id(), s.url(), s.eventTypes(), s.gtins(), s.works(), s.enabled(), s.description(),
                    s.createdAt(), s.updatedAt(), s.disabledReason(), s.failingSince(), secret);
        }
    }

    /** Rotation body: how long the old secret keeps signing (ISO-8601 duration). */
    @Schema(name = "RotateSecretInput")
    public record RotateInput(@Schema(description = "ISO-8601 duration from PT0S to P7D; default PT24H", example = "PT24H")
                              String overlap) {
    }

    /** Rotation response: the new secret, shown once. */
    @Schema(name = "RotatedSecret")
    public record RotateView(@Schema(required = true, description = "The new signing secret (whsec_…), shown once") String secret,
                             @Schema(required = true) Instant previousSecretsExpireAt) {
    }

    /** Bulk replay body. */
    @Schema(name = "ReplayFailedInput")
    public record ReplayInput(@Schema(required = true, description = "Replay failed messages created at or after this instant",
            example = "2026-12-01T00:00:00Z") Instant since) {
    }

    /** A message and its delivery state. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "WebhookMessage")
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
    @Schema(name = "WebhookAttempt")
    public record AttemptView(int attempt, Instant at, int status, long latencyMs, String error, String responseExcerpt) {
        static AttemptView of(Document d) {
            return new AttemptView(d.getInteger("attempt", 0), instant(d, "at"), d.getInteger("status", 0),
                    d.get("latencyMs", Number.class).longValue(), d.getString("error"), d.getString("responseExcerpt"));
        }
    }

    /** The tenant's subscriptions. */
    @Schema(name = "WebhookSubscriptionList")
    public record SubscriptionList(@Schema(required = true) List<SubscriptionView> data) {
    }

    /** An endpoint's messages, newest first. */
    @Schema(name = "WebhookMessageList")
    public record MessageList(@Schema(required = true) List<MessageView> data) {
    }

    /** A message's logged attempts. */
    @Schema(name = "WebhookAttemptList")
    public record AttemptList(@Schema(required = true) List<AttemptView> data) {
    }

    /** A message queued for delivery. */
    @Schema(name = "WebhookMessageQueued")
    public record Queued(@Schema(required = true, example = "msg_test_6f1c0d2e") String messageId) {
    }

    /** How many failed messages were queued again. */
    @Schema(name = "WebhookReplayed")
    public record Replayed(@Schema(required = true) long replayed) {
    }

    private static Instant instant(Document d, String field) {
        return d.getDate(field) == null ? null : d.getDate(field).toInstant();
    }
}
