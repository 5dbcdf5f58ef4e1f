package io.tracemark.attest.webhooks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bson.Document;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Makes one attempt of a webhook message: reads its body, checks the target with the {@link SsrfGuard}, signs
 * it (Standard Webhooks headers, the record's {@code traceparent}) and posts it through the
 * {@link WebhookTransport}. Never holds a thread while the endpoint answers.
 */
@ApplicationScoped
public class AttemptSender {
    private static final Logger LOG = Logger.getLogger(AttemptSender.class);

    @Inject
    SsrfGuard guard;
    @Inject
    WebhookSecrets secrets;
    @Inject
    EventBodies bodies;
    @Inject
    WebhookTransport transport;

    /**
     * What one attempt came to.
     *
     * @param start      when it began
     * @param status     the endpoint's HTTP status, 0 when it gave none
     * @param error      why there was no answer (or no request), else null
     * @param excerpt    the start of the endpoint's answer, else null
     * @param retryAfter the endpoint's {@code Retry-After}, else null
     */
    public record Result(Instant start, int status, String error, String excerpt, String retryAfter) {
        static Result failed(Instant start, String error) {
            return new Result(start, 0, error, null, null);
        }

        /** True when the SSRF guard refused the target, which no retry changes. */
        boolean refused() {
            return error != null && error.startsWith("ssrf.refused");
        }
    }

    /** Sends message {@code m} to {@code sub}; completes with the result, which a failure on our side also is. */
    public CompletableFuture<Result> send(Document m, Subscription sub) {
        String id = m.getString("_id");
        byte[] body;
        try {
            body = bodies.of(m);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Result.failed(Instant.now(), "event.unavailable: " + e.getMessage()));
        }
        Instant start = Instant.now();
        URI url = URI.create(sub.url());
        SsrfGuard.Target target = guard.check(url);
        if (!target.allowed()) {
            return CompletableFuture.completedFuture(Result.failed(start, "ssrf.refused: " + target.refusal()));
        }
        List<String> signing;
        try {
            signing = secrets.signing(sub, start);
        } catch (SecretBoxException e) {
            // A key missing from the configuration: retried on the schedule, so fixing the keys delivers it.
            // The tenant sees the code only; the key ids are for the operator's log.
            LOG.warnf(e, "webhook endpoint %s of tenant %s: signing secret does not open", sub.id(), sub.tenant());
            return CompletableFuture.completedFuture(Result.failed(start,
                    e.code().code() + ": signing secret unavailable (server key configuration)"));
        }
        long ts = start.getEpochSecond();
        Map<String, String> headers = new HashMap<>(8);
        headers.put("content-type", "application/json");
        headers.put("user-agent", "Tracemark-Webhooks/1");
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(ts));
        headers.put("webhook-signature", WebhookSigning.signatureHeader(id, ts, body, signing));
        String trace = m.getString(DeliveryStore.TRACEPARENT);
        if (trace != null) {
            // The record's W3C trace context, so a receiver that traces continues the record's trace.
            headers.put(DeliveryStore.TRACEPARENT, trace);
        }
        return transport.post(url, target.address(), headers, body).handle((answer, err) -> {
            if (err == null) {
                return new Result(start, answer.status(), null, answer.excerpt(), answer.retryAfter());
            }
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            return Result.failed(start, cause.getClass().getSimpleName() + ": " + cause.getMessage());
        });
    }
}
