package io.tracemark.attest.events;

import io.tracemark.edge.auth.CurrentTenant;
import io.tracemark.edge.auth.RequiresRole;
import io.tracemark.edge.auth.Role;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.tracemark.contracts.http.ApiContractFilter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.contracts.Json;
import io.tracemark.attest.erasure.ErasedRecords;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventCodec;
import io.tracemark.contracts.events.EventTypes;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Pull cursor over a tenant's events: {@code GET /v1/events?after=<cursor>&types=record.*,claim.conflict&limit=100}.
 * Reads the event store, {@code tracemark.events} ({@link EventPages}); a consumer that missed webhook deliveries
 * resumes from the last cursor it processed and gets everything. The first page (no {@code after}) starts at the
 * oldest event the topic retains.
 */
@Tag(name = "events", description = "A tenant's events, by pull cursor")
@Path("/v1/events")
@RequiresRole(Role.READ)
@SecurityRequirement(name = ApiContractFilter.SECURITY_SCHEME)
public class EventsResource {
    static final int MAX_LIMIT = 1000;

    @Inject
    EventPages pages;
    @Inject
    CurrentTenant tenant;
    @Inject
    ErasedRecords erased;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listEvents", summary = "A page of the tenant's events",
            description = "A pull cursor over the event store: start without 'after' at the oldest event retained, then "
                    + "pass the page's 'next'. The same bodies webhooks deliver.")
    @APIResponse(responseCode = "200", description = "The page; 'next' resumes after it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EventPageView.class)))
    @APIResponse(responseCode = "400", description = "Invalid cursor, type filter or limit (type validation)")
    public Response page(@Parameter(description = "Resume after this cursor ('next' or an event's 'cursor')", example = "0-1042")
                         @QueryParam("after") String after,
                         @Parameter(description = "Comma-separated types, prefix wildcards or *", example = "record.*,claim.conflict")
                         @QueryParam("types") String types,
                         @Parameter(description = "Events per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                                 maximum = "1000", defaultValue = "100"))
                         @QueryParam("limit") String limit) {
        if (after != null && !after.isBlank() && !EventPages.validCursor(after.strip())) {
            throw new ProblemException(Problem.of("validation", 400, "Invalid cursor")
                    .field("/after", "cursor.invalid", "use the 'next' or an event's 'cursor' value of an earlier page")
                    .retriable(false).build());
        }
        int n = (int) parse("limit", limit, 100, 1, MAX_LIMIT);
        List<String> filters = types == null || types.isBlank() ? List.of()
                : Arrays.stream(types.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (int i = 0; i < filters.size(); i++) {
            if (!EventTypes.validFilter(filters.get(i))) {
                throw new ProblemException(Problem.of("validation", 400, "Invalid event type filter")
                        .field("/types/" + i, "event-type.invalid", "use a type, a prefix wildcard such as record.*, or *")
                        .retriable(false).build());
            }
        }
        EventPages.Page page;
        try {
            page = pages.page(tenant.tenant(), after == null || after.isBlank() ? null : after.strip(), filters, n,
                    Duration.ofSeconds(5));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.of("validation", 400, "Invalid cursor")
                    .field("/after", "cursor.invalid", e.getMessage()).retriable(false).build());
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode events = body.putArray("events");
        // The event store is append-only: content erased since an event was written is taken out here.
        List<Event> shown = erased.redacted(page.events().stream().map(EventPages.Entry::event).toList());
        for (int i = 0; i < shown.size(); i++) {
            events.add(EventCodec.body(shown.get(i), page.events().get(i).cursor()));
        }
        body.put("next", page.next());
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON).build();
    }

    private static long parse(String name, String value, long dflt, long min, long max) {
        if (value == null || value.isBlank()) {
            return dflt;
        }
        try {
            long v = Long.parseLong(value.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ProblemException(Problem.of("validation", 400, "Invalid query parameter")
                .field("/" + name, name + ".invalid", name + " must be an integer between " + min + " and " + max)
                .retriable(false).build());
    }
}
