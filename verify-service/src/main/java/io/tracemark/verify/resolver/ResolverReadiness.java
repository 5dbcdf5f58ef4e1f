package io.tracemark.verify.resolver;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the resolver index is built: Digital Links answer 503 until then. */
@Readiness
@ApplicationScoped
public class ResolverReadiness implements HealthCheck {
    private final BatchIndexFeed feed;

    public ResolverReadiness(BatchIndexFeed feed) {
        this.feed = feed;
    }

    @Override
    public HealthCheckResponse call() {
        String reason = feed.notReadyReason();
        if (reason != null) {
            return HealthCheckResponse.named("resolver-index").down().withData("reason", reason).build();
        }
        return HealthCheckResponse.named("resolver-index").up().withData("keys", feed.index().size()).build();
    }
}
