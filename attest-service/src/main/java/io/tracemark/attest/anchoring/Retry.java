package io.tracemark.attest.anchoring;

import org.jboss.logging.Logger;

import java.util.function.Supplier;

/**
 * Retries an infrastructure action with capped exponential backoff. Used where giving up would
 * drop data: the consumer simply stops advancing (lag grows, which health and metrics show).
 */
public final class Retry {
    private static final Logger LOG = Logger.getLogger(Retry.class);

    private Retry() {
    }

    /** Runs {@code action} until it succeeds, backing off up to 10 s between failures. */
    public static <T> T forever(String what, Supplier<T> action) {
        long backoff = 200;
        while (true) {
            try {
                return action.get();
            } catch (RuntimeException e) {
                LOG.warnf("%s failed, retrying in %d ms: %s", what, backoff, e.toString());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }
}
