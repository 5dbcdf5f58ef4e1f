package io.tracemark.ingest.health;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether the Kafka intake is getting its batches stored: the time since which it has been retrying a
 * batch, and when it last stored one. The consumer reports here; readiness reads it.
 */
@ApplicationScoped
public class IntakeProgress {
    private volatile Instant failingSince;
    private volatile Instant lastSuccess;

    /** A batch attempt failed and will be retried. */
    public void failed() {
        if (failingSince == null) {
            failingSince = Instant.now();
        }
    }

    /** A batch was stored (or dead-lettered) and acknowledged. */
    public void succeeded() {
        failingSince = null;
        lastSuccess = Instant.now();
    }

    /** Since when the intake has been retrying without success, if it is. */
    public Optional<Instant> failingSince() {
        return Optional.ofNullable(failingSince);
    }

    /** When a batch was last handled, if ever since start. */
    public Optional<Instant> lastSuccess() {
        return Optional.ofNullable(lastSuccess);
    }
}
