package io.tracemark.contracts.events;

import java.util.List;
import java.util.regex.Pattern;

/** Event type names and the wildcard filters subscriptions and the pull cursor use ({@code record.*}, {@code *}). */
public final class EventTypes {
    /** Ingest accepted a record and attest queued it for anchoring. */
    public static final String RECORD_ACCEPTED = "record.accepted";
    /** Ingest refused a record (from the dead-letter topic). */
    public static final String RECORD_REJECTED = "record.rejected";
    /** A record's leaf was sealed in a signed block; carries the receipt. */
    public static final String RECORD_ANCHORED = "record.anchored";
    /** A media work matches another tenant's earlier registration. */
    public static final String CLAIM_CONFLICT = "claim.conflict";
    /** A webhook endpoint was disabled (410 Gone or continuous failure). */
    public static final String ENDPOINT_DISABLED = "endpoint.disabled";
    /** A test message requested through the API. */
    public static final String WEBHOOK_TEST = "webhook.test";
    /** Every type a tenant can subscribe to. */
    public static final List<String> ALL = List.of(RECORD_ACCEPTED, RECORD_REJECTED, RECORD_ANCHORED, CLAIM_CONFLICT,
            ENDPOINT_DISABLED, WEBHOOK_TEST);

    private static final Pattern FILTER = Pattern.compile("\\*|[a-z]+(\\.[a-z_]+)*(\\.\\*)?");

    private EventTypes() {
    }

    /** Whether {@code filter} is a valid type filter: an exact type, a prefix wildcard {@code a.*}, or {@code *}. */
    public static boolean validFilter(String filter) {
        return filter != null && FILTER.matcher(filter).matches();
    }

    /** Whether {@code type} matches {@code filter}. */
    public static boolean matches(String filter, String type) {
        if (filter.equals("*")) {
            return true;
        }
        if (filter.endsWith(".*")) {
            return type.startsWith(filter.substring(0, filter.length() - 1));
        }
        return filter.equals(type);
    }

    /** Whether {@code type} matches any of {@code filters}; an empty list matches everything. */
    public static boolean matchesAny(List<String> filters, String type) {
        return filters == null || filters.isEmpty() || filters.stream().anyMatch(f -> matches(f, type));
    }
}
