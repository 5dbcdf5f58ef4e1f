package io.tracemark.verify.claims;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the claim index is built: claim and SHA-256 lookups answer 503 until then. */
@Readiness
@ApplicationScoped
public class WorkIndexReadiness implements HealthCheck {
    private final WorkIndexFeed feed;

    public WorkIndexReadiness(WorkIndexFeed feed) {
        this.feed = feed;
    }

    @Override
    public HealthCheckResponse call() {
        String reason = feed.notReadyReason();
        if (reason != null) {
            return HealthCheckResponse.named("claims-index").down().withData("reason", reason).build();
        }
        WorkIndex index = feed.index();
        return HealthCheckResponse.named("claims-index").up().withData("works", index.size()).build();
    }
}
