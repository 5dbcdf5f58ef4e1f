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
import io.tracemark.contracts.http.ApiContractFilter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Webhook subscriptions of the calling tenant (Standard Webhooks 1.0): CRUD, secret rotation, test
 * message, delivery log and replay.
 */
@Path("/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = ApiContractFilter.SECURITY_SCHEME)
@Tag(name = "webhooks", description = "Standard Webhooks 1.0 subscriptions, deliveries and replays")
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
    @Operation(operationId = "createWebhook", summary = "Subscribe an endpoint",
            description = "The answer carries the endpoint's signing secret (whsec_…), shown this once.")
    @APIResponse(responseCode = "201", description = "Subscribed; 'secret' is shown only here",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookViews.SubscriptionView.class)))
    @APIResponse(responseCode = "400", description = "Invalid or refused URL, event type, GTIN or work (type validation)")
    public Response create(@RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WebhookViews.SubscriptionInput.class), examples = @ExampleObject(name = "anchored",
            value = "{\"url\":\"https://example.com/hooks/tracemark\",\"eventTypes\":[\"record.anchored\"]}")))
                           WebhookViews.SubscriptionInput in) {
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
    @Operation(operationId = "listWebhooks", summary = "The tenant's endpoints")
    @APIResponse(responseCode = "200", description = "Every endpoint, without secrets",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookViews.SubscriptionList.class)))
    public WebhookViews.SubscriptionList list() {
        return new WebhookViews.SubscriptionList(subs.list(tenant.tenant()).stream()
                .map(s -> WebhookViews.SubscriptionView.of(s, null)).toList());
    }

    @GET
    @Path("/{id}")
    @RequiresRole(Role.READ)
    @Operation(operationId = "getWebhook", summary = "One endpoint")
    @APIResponse(responseCode = "200", description = "The endpoint, without its secret",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookViews.SubscriptionView.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint (or message) for this tenant (type not-found)")
    public WebhookViews.SubscriptionView get(@PathParam("id") String id) {
        return WebhookViews.SubscriptionView.of(find(id), null);
    }

    @PATCH
    @Path("/{id}")
    @RequiresRole(Role.WRITE)
    @Operation(operationId = "updateWebhook", summary = "Change an endpoint", description = "Absent members stay unchanged.")
    @APIResponse(responseCode = "200", description = "The changed endpoint",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookViews.SubscriptionView.class)))
    @APIResponse(responseCode = "400", description = "Invalid or refused URL, event type, GTIN or work (type validation)")
    @APIResponse(responseCode = "404", description = "No such endpoint (or message) for this tenant (type not-found)")
    public WebhookViews.SubscriptionView update(@PathParam("id") String id,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = WebhookViews.SubscriptionInput.class),
                    examples = @ExampleObject(name = "disable", value = "{\"enabled\":false}")))
            WebhookViews.SubscriptionInput in) {
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
    @Operation(operationId = "deleteWebhook", summary = "Unsubscribe an endpoint")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such endpoint (or message) for this tenant (type not-found)")
    public Response delete(@PathParam("id") String id) {
        if (!subs.delete(tenant.tenant(), id)) {
            throw notFound(id);
        }
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/rotate-secret")
    @RequiresRole(Role.WRITE)
    @Operation(operationId = "rotateWebhookSecret", summary = "Rotate an endpoint's signing secret",
            description = "Messages are signed with the new and the old secrets until the overlap ends.")
    @APIResponse(responseCode = "200", description = "The new secret, shown once",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookViews.RotateView.class)))
    @APIResponse(responseCode = "400", description = "overlap is not a duration from PT0S to P7D (type validation)")
    @APIResponse(responseCode = "404", description = "No such endpoint (or message) for this tenant (type not-found)")
    public WebhookViews.RotateView rotate(@PathParam("id") String id,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = WebhookViews.RotateInput.class),
                    examples = @ExampleObject(name = "one hour", value = "{\"overlap\":\"PT1H\"}")))
            WebhookViews.RotateInput in) {
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
    @Operation(operationId = "sendWebhookTest", summary = "Send a webhook.test message to an endpoint")
    @APIResponse(responseCode = "202", description = "Queued; follow it in the endpoint's messages",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookViews.Queued.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint (or message) for this tenant (type not-found)")
    public Response test(@PathParam("id") String id) {
        Subscription s = find(id);
        String msgId = "msg_test_" + UUID.randomUUID().toString().replace("-", "");
        String body = "{\"type\":\"" + EventTypes.WEBHOOK_TEST + "\",\"timestamp\":\"" + Instant.now()
                + "\",\"tenant\":\"" + s.tenant() + "\",\"data\":{\"endpointId\":\"" + s.id() + "\"}}";
        deliveries.enqueueTest(s, msgId, body);
        return Response.status(202).entity(new WebhookViews.Queued(msgId)).build();
    }

    @GET
    @Path("/{id}/messages")
    @RequiresRole(Role.READ)
    @Operation(operationId = "listWebhookMessages", summary = "An endpoint's messages and their delivery state")
    @APIResponse(responseCode = "200", description = "Up to 200 messages, newest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookViews.MessageList.class)))
    @APIResponse(responseCode = "400", description = "Unknown state (type validation)")
    @APIResponse(responseCode = "404", description = "No such endpoint (or message) for this tenant (type not-found)")
    public WebhookViews.MessageList messages(@PathParam("id") String id,
            @Parameter(description = "Only messages in this state", schema = @Schema(type = SchemaType.STRING, enumeration = {"pending", "delivered", "failed"}))
            @QueryParam("state") String state) {
        find(id);
        if (state != null && !List.of(DeliveryStore.PENDING, DeliveryStore.DELIVERED, DeliveryStore.FAILED).contains(state)) {
            throw invalid("/state", "state.invalid", "state is pending, delivered or failed");
        }
        return new WebhookViews.MessageList(messages.list(tenant.tenant(), id, state, 200).stream()
                .map(WebhookViews.MessageView::of).toList());
    }

    @GET
    @Path("/{id}/messages/{msgId}/attempts")
    @RequiresRole(Role.READ)
    @Operation(operationId = "listWebhookAttempts", summary = "A message's delivery attempts")
    @APIResponse(responseCode = "200", description = "Every logged attempt with status, latency and response excerpt",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookViews.AttemptList.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint (or message) for this tenant (type not-found)")
    public WebhookViews.AttemptList attempts(@PathParam("id") String id, @PathParam("msgId") String msgId) {
        find(id);
        messages.find(tenant.tenant(), msgId).orElseThrow(() -> notFound(msgId));
        return new WebhookViews.AttemptList(messages.attemptsOf(tenant.tenant(), msgId).stream()
                .map(WebhookViews.AttemptView::of).toList());
    }

    @POST
    @Path("/{id}/messages/{msgId}/replay")
    @Consumes(MediaType.WILDCARD)
    @RequiresRole(Role.WRITE)
    @Operation(operationId = "replayWebhookMessage", summary = "Deliver a delivered or failed message again")
    @APIResponse(responseCode = "202", description = "Queued again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookViews.Queued.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint, or no finished message of that id on it (type not-found)")
    public Response replay(@PathParam("id") String id, @PathParam("msgId") String msgId) {
        find(id);
        if (!messages.replay(tenant.tenant(), id, msgId)) {
            throw new ProblemException(Problem.of("not-found", 404, "No finished message " + msgId + " on this endpoint")
                    .detail("Only delivered or failed messages can be replayed; pending ones are still being retried.")
                    .retriable(false).build());
        }
        return Response.status(202).entity(new WebhookViews.Queued(msgId)).build();
    }

    @POST
    @Path("/{id}/replay")
    @RequiresRole(Role.WRITE)
    @Operation(operationId = "replayFailedWebhookMessages", summary = "Deliver an endpoint's failed messages again",
            description = "Every failed message created at or after 'since'.")
    @APIResponse(responseCode = "202", description = "How many messages were queued again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookViews.Replayed.class)))
    @APIResponse(responseCode = "400", description = "since is missing (type validation)")
    @APIResponse(responseCode = "404", description = "No such endpoint (or message) for this tenant (type not-found)")
    public Response replayFailed(@PathParam("id") String id,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = WebhookViews.ReplayInput.class),
                    examples = @ExampleObject(name = "since", value = "{\"since\":\"2026-12-01T00:00:00Z\"}")))
            WebhookViews.ReplayInput in) {
        find(id);
        if (in == null || in.since() == null) {
            throw invalid("/since", "since.required", "since (an ISO-8601 instant) is required");
        }
        return Response.status(202).entity(new WebhookViews.Replayed(messages.replayFailed(tenant.tenant(), id, in.since()))).build();
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
