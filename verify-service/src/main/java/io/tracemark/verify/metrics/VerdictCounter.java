package io.tracemark.verify.metrics;

import io.tracemark.verify.verification.Check;
import io.tracemark.verify.verification.Verdict;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Counts every verdict the API answers with, whichever resource produced it. */
public class VerdictCounter {
    @Inject
    VerifyMetrics metrics;

    /** Reads the verdict off the response about to be written. */
    @ServerResponseFilter
    public void count(ContainerResponseContext response) {
        if (response.getEntity() instanceof Verdict v) {
            metrics.verdict(v.verdict(), v.checks().stream().filter(c -> Check.FAIL.equals(c.result())).map(Check::code).toList());
        }
    }
}
