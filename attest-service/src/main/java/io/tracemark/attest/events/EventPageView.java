package io.tracemark.attest.events;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * The published shape of a {@code GET /v1/events} page. {@link EventsResource} writes each event with the
 * contracts' {@code EventCodec.body}, the same body a webhook delivers; this record describes it for the
 * OpenAPI document and generated clients.
 *
 * @param events the tenant's events, oldest first
 * @param next   the cursor to pass as {@code after} for the next page
 */
@Schema(name = "EventPage")
public record EventPageView(@Schema(required = true) List<Item> events,
                            @Schema(required = true, example = "0-1042") String next) {

    /** One event, as delivered by webhooks, plus its cursor. */
    @Schema(name = "Event")
    public record Item(@Schema(required = true, example = "evt_01JDX3K8Q9V5T2M4N6P8R0S1W3") String id,
                       @Schema(required = true, example = "record.anchored",
                               description = "record.accepted, record.rejected, record.anchored, claim.conflict, "
                                       + "endpoint.disabled or webhook.test") String type,
                       @Schema(required = true, format = "date-time") String timestamp,
                       @Schema(required = true, example = "acme") String tenant,
                       @Schema(required = true, description = "Pass as 'after' to resume after this event", example = "0-1041") String cursor,
                       @Schema(required = true, description = "The event's facts, by type") Map<String, Object> data) {
    }
}
