package io.tracemark.attest.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * A tenant's webhook endpoint.
 *
 * @param eventTypes     type filters ({@code record.*}, exact types); empty = every type
 * @param gtins          only events about these GTINs (empty = no GTIN filter)
 * @param works          only events about these media works, by file SHA-256 (empty = no work filter)
 * @param secrets        signing secrets as stored (see {@link WebhookSecrets}), newest first; older ones sign
 *                       until their expiry (rotation overlap)
 * @param failingSince   start of the current run of failed attempts, or {@code null}
 * @param disabledReason why the endpoint was disabled automatically, or {@code null}
 */
public record Subscription(String id, String tenant, String url, List<String> eventTypes, List<String> gtins,
                           List<String> works, boolean enabled, String description, List<Secret> secrets,
                           Instant createdAt, Instant updatedAt, Instant failingSince, String disabledReason) {
    /**
     * A signing secret as stored (sealed {@code v1:…}, or a legacy plain {@code whsec_…}) and, once rotated
     * out, when it stops signing.
     */
    public record Secret(String stored, Instant createdAt, Instant expiresAt) {
    }

    /** Stored forms of the secrets that still sign at {@code now}, newest first; open them with {@link WebhookSecrets}. */
    public List<String> activeStored(Instant now) {
        return secrets.stream().filter(s -> s.expiresAt() == null || s.expiresAt().isAfter(now)).map(Secret::stored).toList();
    }
}
