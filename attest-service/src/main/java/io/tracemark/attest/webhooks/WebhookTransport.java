package io.tracemark.attest.webhooks;

import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.tracing.TracingPolicy;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Sends webhook requests with Vert.x's pooled, non-blocking HTTP/1.1 client: connections to an endpoint are
 * kept alive and reused (up to {@code max-concurrency-per-endpoint} per endpoint), and each request connects
 * to the address the {@link SsrfGuard} checked, with the URL's host in {@code Host} and in TLS SNI, so the
 * name is never resolved a second time. The JDK client this replaces spent about a third of the delivery
 * CPU in its own scheduling.
 */
@ApplicationScoped
public class WebhookTransport {
    /** Bytes of an endpoint's answer kept for the delivery log. */
    static final int EXCERPT = 1024;

    /** What an endpoint answered: status, the first {@link #EXCERPT} bytes of the body, {@code Retry-After}. */
    public record Answer(int status, String excerpt, String retryAfter) {
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final long timeoutMillis;

    @Inject
    public WebhookTransport(Vertx vertx,
                            @ConfigProperty(name = "tracemark.attest.webhooks.timeout", defaultValue = "15s") Duration timeout,
                            @ConfigProperty(name = "tracemark.attest.webhooks.max-concurrency-per-endpoint", defaultValue = "64") int perEndpoint) {
        this.vertx = vertx;
        this.timeoutMillis = timeout.toMillis();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setMaxPoolSize(perEndpoint)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .setIdleTimeout(60)
                .setTcpNoDelay(true)
                .setVerifyHost(true)
                .setForceSni(true)
                .setTryUseCompression(false)
                .setMaxRedirects(0)
                // A request carries its record's traceparent, set by the sender; a client span of whatever context
                // the request happened to start from would replace it, and cost every delivery a span.
                .setTracingPolicy(TracingPolicy.IGNORE));
    }

    /**
     * POSTs {@code body} (UTF-8 JSON) to {@code url}, connecting to {@code address}; completes with the answer, or
     * exceptionally when no answer came (refused, reset, TLS failure, or no full answer within the timeout).
     */
    public CompletableFuture<Answer> post(URI url, InetAddress address, Map<String, String> headers, byte[] body) {
        boolean tls = "https".equals(url.getScheme());
        int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost()).setPort(port)
                .setSsl(tls).setURI(path).setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setFollowRedirects(false).setConnectTimeout(timeoutMillis);
        headers.forEach(options::putHeader);
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        client.request(options).onFailure(answer::completeExceptionally).onSuccess(req -> {
            // One deadline for the whole exchange: a slow-dripping endpoint cannot hold a connection for ever.
            long timer = vertx.setTimer(timeoutMillis, t -> {
                if (answer.completeExceptionally(new TimeoutException("no complete answer within " + timeoutMillis + " ms"))) {
                    req.reset();
                }
            });
            answer.whenComplete((a, err) -> vertx.cancelTimer(timer));
            req.send(Buffer.buffer(Unpooled.wrappedBuffer(body))).onFailure(answer::completeExceptionally)
                    .onSuccess(resp -> {
                        // Most answers have no body (204): the excerpt's buffer is made for the first chunk only.
                        Buffer[] excerpt = new Buffer[1];
                        resp.handler(chunk -> {
                            if (excerpt[0] == null) {
                                excerpt[0] = Buffer.buffer(Math.min(chunk.length(), EXCERPT));
                            }
                            if (excerpt[0].length() < EXCERPT) {
                                excerpt[0].appendBuffer(chunk, 0, Math.min(chunk.length(), EXCERPT - excerpt[0].length()));
                            }
                        });
                        resp.exceptionHandler(answer::completeExceptionally);
                        resp.endHandler(v -> answer.complete(new Answer(resp.statusCode(),
                                excerpt[0] == null ? "" : excerpt[0].toString(StandardCharsets.UTF_8), resp.getHeader("retry-after"))));
                    });
        });
        return answer;
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
