package io.tracemark.chain.timestamp.external;

import io.tracemark.chain.timestamp.TokenPack;
import io.tracemark.chain.timestamp.Timestamper;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Obtains one external authority's tokens over checkpoints on a thread of its own, so a slow or absent
 * authority delays neither sealing nor serving: checkpoints wait in a bounded queue (the oldest are
 * dropped when it is full), each request is bounded by the timeout, a checkpoint gets a bounded number
 * of attempts, and after a checkpoint went without a token only the newest waiting one is tried next. With a
 * minimum interval between requests (public authorities limit their rate), the authority is asked for the
 * newest checkpoint at most once an interval and the checkpoints sealed in between go without its token.
 * Tokens are stored as DER {@code TimeStampToken}s in a {@link TokenPack} of their own.
 */
final class AuthorityStamper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AuthorityStamper.class);
    private static final int BACKLOG = 1024;

    private record Job(long size, String body) {
    }

    private final Authority authority;
    private final Rfc3161Client client;
    private final ExternalTsaSettings settings;
    private final TokenPack tokens;
    private final LinkedBlockingDeque<Job> queue = new LinkedBlockingDeque<>(BACKLOG);
    private final Set<Long> waiting = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;
    private final LongAdder obtained = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder missed = new LongAdder();
    private volatile String lastFailure;
    private volatile Instant lastFailureAt;
    private volatile long lastStampedSize = -1;
    private volatile Instant lastStampedAt;
    private volatile boolean degraded;
    private volatile long lastRequestAt;

    AuthorityStamper(Authority authority, ExternalTsaSettings settings, Path dir) {
        this.authority = authority;
        this.settings = settings;
        this.client = new Rfc3161Client(authority, settings.timeout());
        this.tokens = TokenPack.open(dir);
        this.thread = new Thread(this::run, "chain-tsa-" + authority.name());
        thread.setDaemon(true);
        thread.start();
    }

    Authority authority() {
        return authority;
    }

    /** Queues a checkpoint; never blocks. */
    void submit(long size, String body) {
        if (tokens.contains(size) || !waiting.add(size)) {
            return;
        }
        Job job = new Job(size, body);
        while (!queue.offerLast(job)) {
            Job old = queue.pollFirst();
            if (old != null) {
                waiting.remove(old.size());
                missed.increment();
            }
        }
    }

    /** The stored token of the checkpoint of {@code size}. */
    Optional<byte[]> token(long size) {
        return tokens.read(size);
    }

    /** Whether the checkpoint of {@code size} is queued or being asked for. */
    boolean isPending(long size) {
        return waiting.contains(size);
    }

    long obtained() {
        return obtained.sum();
    }

    long failures() {
        return failures.sum();
    }

    long retries() {
        return retries.sum();
    }

    long missed() {
        return missed.sum();
    }

    long lastStampedSize() {
        return lastStampedSize;
    }

    /** One line for readiness detail: {@code ok, …} or {@code degraded: …}. */
    String status() {
        String last = lastStampedSize < 0 ? "no token yet" : "last token for tree size " + lastStampedSize + " at " + lastStampedAt;
        return degraded ? "degraded: " + lastFailure + " at " + lastFailureAt + "; " + last + "; " + authority.url()
                : "ok: " + last + "; " + authority.url();
    }

    private void run() {
        while (running) {
            Job job;
            try {
                job = queue.pollFirst(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (job == null) {
                continue;
            }
            try {
                awaitInterval();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            // An authority that just failed a checkpoint, or is asked at most once an interval, is asked for the
            // newest waiting checkpoint only, not the backlog.
            boolean newestOnly = degraded || !settings.minInterval().isZero();
            for (Job newer = newestOnly ? queue.pollFirst() : null; newer != null; newer = queue.pollFirst()) {
                waiting.remove(job.size());
                missed.increment();
                job = newer;
            }
            try {
                stamp(job);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                waiting.remove(job.size());
            }
        }
    }

    /** Waits out {@code min-interval} since the last request, so a public authority's rate limit is respected. */
    private void awaitInterval() throws InterruptedException {
        long wait = settings.minInterval().toMillis() - (System.currentTimeMillis() - lastRequestAt);
        if (wait > 0 && running) {
            Thread.sleep(wait);
        }
    }

    private void stamp(Job job) throws InterruptedException {
        byte[] text = job.body().getBytes(StandardCharsets.UTF_8);
        byte[] imprint = Timestamper.imprint(job.body());
        Duration backoff = settings.retryBackoff();
        for (int attempt = 1; attempt <= settings.attempts() && running; attempt++) {
            if (attempt > 1) {
                retries.increment();
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2);
            }
            try {
                lastRequestAt = System.currentTimeMillis();
                byte[] token = client.stamp(text, imprint);
                if (tokens.append(job.size(), token)) {
                    obtained.increment();
                    lastStampedSize = job.size();
                    lastStampedAt = Instant.now();
                } else {
                    missed.increment();
                }
                degraded = false;
                return;
            } catch (HttpTimeoutException e) {
                failed(job, attempt, "no answer within " + settings.timeout(), null);
            } catch (IOException | RuntimeException e) {
                failed(job, attempt, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
            }
        }
        missed.increment();
        degraded = true;
    }

    /** Counts a failed attempt; {@code cause} is the exception behind it, or {@code null} for a timeout. */
    private void failed(Job job, int attempt, String reason, Exception cause) {
        failures.increment();
        lastFailure = "attempt " + attempt + " of " + settings.attempts() + " for tree size " + job.size() + " failed: "
                + reason;
        lastFailureAt = Instant.now();
        if (!degraded && attempt == settings.attempts()) {
            // Once per outage, not per checkpoint: the readiness detail and metrics carry the rest.
            LOG.warnf(cause, "external TSA '%s' (%s) gave no token for the checkpoint of tree size %d: %s", authority.name(),
                    authority.url(), job.size(), reason);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            tokens.close();
        }
    }
}
