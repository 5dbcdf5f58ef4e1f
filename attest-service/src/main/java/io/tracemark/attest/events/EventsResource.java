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

import java.util.Arrays;
import java.util.List;

/**
 * Pull cursor over a tenant's events: {@code GET /v1/events?after=<cursor>&types=record.*,claim.conflict&limit=100}.
 * A consumer that missed webhook deliveries resumes from the last cursor it processed and gets everything.
 */
@Path("/v1/events")
@RequiresRole(Role.READ)
public class EventsResource {
    static final int MAX_LIMIT = 1000;

    @Inject
    EventStore store;
    @Inject
    CurrentTenant tenant;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response page(@QueryParam("after") String after, @QueryParam("types") String types,
                         @QueryParam("limit") String limit) {
        long cursor = parse("after", after, 0, 0, Long.MAX_VALUE);
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
        List<StoredEvent> page = store.page(tenant.tenant(), cursor, filters, n);
        StringBuilder sb = new StringBuilder("{\"events\":[");
        for (int i = 0; i < page.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(page.get(i).json());
        }
        String next = Long.toString(page.isEmpty() ? cursor : page.get(page.size() - 1).seq());
        sb.append("],\"next\":\"").append(next).append("\"}");
        return Response.ok(sb.toString(), MediaType.APPLICATION_JSON).build();
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
