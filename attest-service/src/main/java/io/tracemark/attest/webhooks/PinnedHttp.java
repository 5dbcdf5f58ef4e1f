package io.tracemark.attest.webhooks;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Webhook POSTs that connect to the address {@link SsrfGuard} checked, not to whatever the name resolves to
 * a moment later (DNS rebinding): the Vert.x client is given that address as the server while the URL's
 * host stays the {@code Host} header, the TLS server name and the name the certificate is verified for.
 * Redirects are not followed.
 */
@ApplicationScoped
public class PinnedHttp {
    private final HttpClient client;
    private final Duration timeout;

    public PinnedHttp(Vertx vertx, @ConfigProperty(name = "tracemark.attest.webhooks.timeout", defaultValue = "15s") Duration timeout,
                      @ConfigProperty(name = "tracemark.attest.webhooks.max-connections", defaultValue = "256") int maxConnections) {
        this.timeout = timeout;
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) timeout.toMillis())
                .setVerifyHost(true).setForceSni(true).setMaxPoolSize(maxConnections).setKeepAlive(true));
    }

    /** An answer: its status, the first {@code excerptLimit} characters of its body and its Retry-After. */
    public record Answer(int status, String excerpt, String retryAfter) {
    }

    /** POSTs {@code body} to {@code url}, connecting to {@code address}. */
    public CompletableFuture<Answer> post(URI url, InetAddress address, Map<String, String> headers, String body,
                                          int excerptLimit) {
        boolean tls = "https".equals(url.getScheme());
        int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost()).setPort(port)
                .setSsl(tls).setURI(path).setFollowRedirects(false).setTimeout(timeout.toMillis())
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()));
        headers.forEach(options::putHeader);
        return client.request(options)
                .compose(req -> req.send(Buffer.buffer(body, StandardCharsets.UTF_8.name())))
                .compose(resp -> {
                    Promise<Answer> answer = Promise.promise();
                    StringBuilder excerpt = new StringBuilder();
                    resp.handler(chunk -> {
                        if (excerpt.length() < excerptLimit) {
                            excerpt.append(chunk.toString(StandardCharsets.UTF_8));
                        }
                    });
                    resp.exceptionHandler(answer::tryFail);
                    resp.endHandler(v -> answer.tryComplete(new Answer(resp.statusCode(),
                            excerpt.length() > excerptLimit ? excerpt.substring(0, excerptLimit) : excerpt.toString(),
                            resp.getHeader("retry-after"))));
                    return answer.future();
                })
                .toCompletionStage().toCompletableFuture();
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
