package io.tracemark.attest.webhooks;

import com.mongodb.client.model.Updates;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.contracts.gs1.Gtin14;
import io.tracemark.edge.auth.CurrentTenant;
import io.tracemark.edge.auth.RequiresRole;
import io.tracemark.edge.auth.Role;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bson.conversions.Bson;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Webhook subscriptions of the calling tenant (Standard Webhooks 1.0): CRUD, secret rotation, test
 * message, delivery log and replay.
 */
@Path("/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WebhooksResource {
    @Inject
    SubscriptionStore subs;
    @Inject
    DeliveryStore deliveries;
    @Inject
    MessageQueries messages;
    @Inject
    SsrfGuard guard;
    @Inject
    CurrentTenant tenant;
    @ConfigProperty(name = "tracemark.attest.webhooks.rotation-overlap", defaultValue = "PT24H")
    Duration defaultOverlap;

    @POST
    @RequiresRole(Role.WRITE)
    public Response create(WebhookViews.SubscriptionInput in) {
        if (in == null || in.url() == null) {
            throw invalid("/url", "url.required", "url is required");
        }
        validate(in);
        SubscriptionStore.Created c = subs.create(tenant.tenant(), in.url(), list(in.eventTypes()), gtin14s(in.gtins()),
                list(in.works()), in.enabled() == null || in.enabled(), in.description());
        return Response.status(201).entity(WebhookViews.SubscriptionView.of(c.subscription(), c.secret())).build();
    }

    @GET
    @RequiresRole(Role.READ)
    public Map<String, List<WebhookViews.SubscriptionView>> list() {
        return Map.of("data", subs.list(tenant.tenant()).stream().map(s -> WebhookViews.SubscriptionView.of(s, null)).toList());
    }

    @GET
    @Path("/{id}")
    @RequiresRole(Role.READ)
    public WebhookViews.SubscriptionView get(@PathParam("id") String id) {
        return WebhookViews.SubscriptionView.of(find(id), null);
    }

    @PATCH
    @Path("/{id}")
    @RequiresRole(Role.WRITE)
    public WebhookViews.SubscriptionView update(@PathParam("id") String id, WebhookViews.SubscriptionInput in) {
        find(id);
        if (in == null) {
            throw invalid("", "body.required", "send the fields to change");
        }
        validate(in);
        List<Bson> sets = new ArrayList<>();
        if (in.url() != null) {
            sets.add(Updates.set("url", in.url()));
        }
        if (in.eventTypes() != null) {
            sets.add(Updates.set("eventTypes", in.eventTypes()));
        }
        if (in.gtins() != null) {
            sets.add(Updates.set("gtins", gtin14s(in.gtins())));
        }
        if (in.works() != null) {
            sets.add(Updates.set("works", in.works()));
        }
        if (in.description() != null) {
            sets.add(Updates.set("description", in.description()));
        }
        if (in.enabled() != null) {
            sets.add(Updates.set("enabled", in.enabled()));
            if (in.enabled()) {
                sets.add(Updates.unset("disabledReason"));
                sets.add(Updates.unset("failingSince"));
            }
        }
        return WebhookViews.SubscriptionView.of(subs.update(tenant.tenant(), id, sets).orElseThrow(() -> notFound(id)), null);
    }

    @DELETE
    @Path("/{id}")
    @RequiresRole(Role.WRITE)
    public Response delete(@PathParam("id") String id) {
        if (!subs.delete(tenant.tenant(), id)) {
            throw notFound(id);
        }
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/rotate-secret")
    @RequiresRole(Role.WRITE)
    public WebhookViews.RotateView rotate(@PathParam("id") String id, WebhookViews.RotateInput in) {
        Duration overlap = defaultOverlap;
        if (in != null && in.overlap() != null) {
            try {
                overlap = Duration.parse(in.overlap());
            } catch (DateTimeParseException e) {
                throw invalid("/overlap", "overlap.invalid", "overlap is an ISO-8601 duration such as PT24H");
            }
            if (overlap.isNegative() || overlap.compareTo(Duration.ofDays(7)) > 0) {
                throw invalid("/overlap", "overlap.range", "overlap must be between PT0S and P7D");
            }
        }
        String secret = subs.rotate(tenant.tenant(), id, overlap).orElseThrow(() -> notFound(id));
        return new WebhookViews.RotateView(secret, Instant.now().plus(overlap));
    }

    @POST
    @Path("/{id}/test")
    @Consumes(MediaType.WILDCARD)
    @RequiresRole(Role.WRITE)
    public Response test(@PathParam("id") String id) {
        Subscription s = find(id);
        String msgId = "msg_test_" + UUID.randomUUID().toString().replace("-", "");
        String body = "{\"type\":\"" + EventTypes.WEBHOOK_TEST + "\",\"timestamp\":\"" + Instant.now()
                + "\",\"tenant\":\"" + s.tenant() + "\",\"data\":{\"endpointId\":\"" + s.id() + "\"}}";
        deliveries.enqueueTest(s, msgId, body);
        return Response.status(202).entity(Map.of("messageId", msgId)).build();
    }

    @GET
    @Path("/{id}/messages")
    @RequiresRole(Role.READ)
    public Map<String, List<WebhookViews.MessageView>> messages(@PathParam("id") String id, @QueryParam("state") String state) {
        find(id);
        if (state != null && !List.of(DeliveryStore.PENDING, DeliveryStore.DELIVERED, DeliveryStore.FAILED).contains(state)) {
            throw invalid("/state", "state.invalid", "state is pending, delivered or failed");
        }
        return Map.of("data", messages.list(tenant.tenant(), id, state, 200).stream().map(WebhookViews.MessageView::of).toList());
    }

    @GET
    @Path("/{id}/messages/{msgId}/attempts")
    @RequiresRole(Role.READ)
    public Map<String, List<WebhookViews.AttemptView>> attempts(@PathParam("id") String id, @PathParam("msgId") String msgId) {
        find(id);
        messages.find(tenant.tenant(), msgId).orElseThrow(() -> notFound(msgId));
        return Map.of("data", messages.attemptsOf(tenant.tenant(), msgId).stream().map(WebhookViews.AttemptView::of).toList());
    }

    @POST
    @Path("/{id}/messages/{msgId}/replay")
    @Consumes(MediaType.WILDCARD)
    @RequiresRole(Role.WRITE)
    public Response replay(@PathParam("id") String id, @PathParam("msgId") String msgId) {
        find(id);
        if (!messages.replay(tenant.tenant(), id, msgId)) {
            throw new ProblemException(Problem.of("not-found", 404, "No finished message " + msgId + " on this endpoint")
                    .detail("Only delivered or failed messages can be replayed; pending ones are still being retried.")
                    .retriable(false).build());
        }
        return Response.status(202).entity(Map.of("messageId", msgId)).build();
    }

    @POST
    @Path("/{id}/replay")
    @RequiresRole(Role.WRITE)
    public Response replayFailed(@PathParam("id") String id, WebhookViews.ReplayInput in) {
        find(id);
        if (in == null || in.since() == null) {
            throw invalid("/since", "since.required", "since (an ISO-8601 instant) is required");
        }
        return Response.status(202).entity(Map.of("replayed", messages.replayFailed(tenant.tenant(), id, in.since()))).build();
    }

    private Subscription find(String id) {
        return subs.get(tenant.tenant(), id).orElseThrow(() -> notFound(id));
    }

    private void validate(WebhookViews.SubscriptionInput in) {
        Problem.Builder p = Problem.of("validation", 400, "Invalid webhook subscription").retriable(false);
        boolean bad = false;
        if (in.url() != null) {
            try {
                URI u = URI.create(in.url());
                var refused = guard.refuse(u);
                if (refused.isPresent()) {
                    p.field("/url", "url.refused", refused.get());
                    bad = true;
                }
            } catch (IllegalArgumentException e) {
                p.field("/url", "url.invalid", "not a URL");
                bad = true;
            }
        }
        List<String> types = list(in.eventTypes());
        for (int i = 0; i < types.size(); i++) {
            if (!EventTypes.validFilter(types.get(i))) {
                p.field("/eventTypes/" + i, "event-type.invalid", "use a type, a prefix wildcard such as record.*, or *");
                bad = true;
            }
        }
        List<String> gtins = list(in.gtins());
        for (int i = 0; i < gtins.size(); i++) {
            try {
                Gtin14.normalise(gtins.get(i));
            } catch (IllegalArgumentException e) {
                String[] reason = e.getMessage().split(": ", 2);
                p.field("/gtins/" + i, reason[0], reason[1]);
                bad = true;
            }
        }
        List<String> works = list(in.works());
        for (int i = 0; i < works.size(); i++) {
            if (works.get(i) == null || !works.get(i).matches("[0-9a-f]{64}")) {
                p.field("/works/" + i, "work.invalid", "a work is named by the lowercase hex SHA-256 of its file");
                bad = true;
            }
        }
        if (bad) {
            throw new ProblemException(p.build());
        }
    }

    /** Events carry GTIN-14s only, so a filter holds the 14-digit form of each GTIN given (validated before). */
    private static List<String> gtin14s(List<String> gtins) {
        return list(gtins).stream().map(Gtin14::normalise).distinct().toList();
    }

    private static List<String> list(List<String> l) {
        return l == null ? List.of() : l;
    }

    private static ProblemException invalid(String pointer, String code, String detail) {
        return new ProblemException(Problem.of("validation", 400, "Invalid webhook subscription")
                .field(pointer, code, detail).retriable(false).build());
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(Problem.of("not-found", 404, "No such webhook endpoint or message: " + id)
                .retriable(false).build());
    }
}
