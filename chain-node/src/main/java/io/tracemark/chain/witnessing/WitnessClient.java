package io.tracemark.chain.witnessing;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.cosignature.TimestampedSignature;
import io.tracemark.proofs.note.NoteSignature;
import io.tracemark.proofs.note.Notes;
import io.tracemark.proofs.note.VerifiedNote;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.witness.AddCheckpointRequest;
import io.tracemark.proofs.witness.TlogSize;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Submits this log's checkpoints to one witness (C2SP tlog-witness "add-checkpoint") on a thread of
 * its own: always the latest checkpoint, with a consistency proof from the size the witness last
 * cosigned; checkpoints sealed while a request is in flight are covered by the next proof. A 409
 * names the size the witness knows and the request is repeated from it; 422 (inconsistent: a split
 * view) and 400/403/404 are counted and retried after a pause; a slow or absent witness delays only
 * this thread.
 */
public final class WitnessClient implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WitnessClient.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final long MIN_BACKOFF_MILLIS = 250;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final long REFUSED_PAUSE_MILLIS = 5_000;
    private static final int MAX_CONFLICTS_IN_A_ROW = 3;

    private final WitnessEndpoint witness;
    private final WitnessedLog log;
    private final HttpClient http;
    private final WitnessStatus status;
    private final BlockingQueue<Boolean> wakeUp = new ArrayBlockingQueue<>(1);
    private final Thread thread;
    private volatile boolean running = true;
    /** The size the witness last cosigned, as far as this client knows; -1 until learnt. */
    private long knownSize = -1;
    private long backoffMillis = MIN_BACKOFF_MILLIS;
    private int conflictsInARow;
    /** The last refusal logged, so a witness refusing every retry for the same reason is logged once. */
    private String lastRefusal;
    /** The last failure logged, so an unreachable witness is logged once per outage, not once per backoff. */
    private String lastFailure;

    /** A client for {@code witness}, not yet started. */
    public WitnessClient(WitnessEndpoint witness, WitnessedLog log, HttpClient http) {
        this.witness = witness;
        this.log = log;
        this.http = http;
        this.status = new WitnessStatus(witness.name());
        this.thread = new Thread(this::run, "witness-client-" + witness.name());
        thread.setDaemon(true);
    }

    /** Starts submitting. */
    public void start() {
        thread.start();
    }

    /** Signals that a new checkpoint was signed; never blocks. */
    public void checkpointSigned() {
        wakeUp.offer(Boolean.TRUE);
    }

    /** What this client has seen. */
    public WitnessStatus status() {
        return status;
    }

    private void run() {
        while (running) {
            try {
                long pause = submitLatest();
                if (pause > 0) {
                    wakeUp.poll(pause, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                status.failures.increment();
                status.lastOutcome = "error: " + e;
                // The stack trace once per kind of error until a cosignature, not once per backoff.
                if (!String.valueOf(e).equals(lastFailure)) {
                    LOG.warnf(e, "witness %s: submission failed (logged once until it changes or succeeds)", witness.name());
                    lastFailure = String.valueOf(e);
                }
                sleepQuietly(backoff());
            }
        }
    }

    /** Makes one submission if there is something to submit; returns how long to wait before the next. */
    private long submitLatest() throws InterruptedException {
        WitnessedLog.SignedCheckpoint latest = log.latest();
        if (latest.size() == status.cosignedSize || knownSize > latest.size()) {
            // Nothing new, or the witness is ahead of this replica: wait for the log to grow.
            return 1_000;
        }
        long old = Math.max(knownSize, 0);
        byte[][] proof = old == 0 || old == latest.size() ? new byte[0][] : log.consistencyProof(old, latest.size());
        byte[] body = new AddCheckpointRequest(old, Arrays.asList(proof), latest.note()).encode();
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(witness.addCheckpoint()).timeout(TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return failed("unreachable: " + e.getMessage());
        }
        String text = new String(response.body(), StandardCharsets.UTF_8);
        return switch (response.statusCode()) {
            case 200 -> cosigned(latest, text);
            case 409 -> conflict(text);
            case 422 -> refused(status.splitViews, "422 inconsistent with the checkpoint it cosigned (split view): " + text.strip());
            case 400, 403, 404 -> refused(status.rejections, response.statusCode() + " " + text.strip());
            default -> failed("HTTP " + response.statusCode());
        };
    }

    private long cosigned(WitnessedLog.SignedCheckpoint latest, String lines) {
        List<NoteSignature> cosignatures;
        try {
            cosignatures = verified(latest.body(), lines);
        } catch (ProofException e) {
            return failed("unverifiable cosignature: " + e.getMessage());
        }
        if (cosignatures.isEmpty()) {
            return failed("answer carried no cosignature from " + witness.name());
        }
        cosignatures.forEach(c -> log.addCosignature(latest.size(), latest.body(), c));
        knownSize = latest.size();
        status.cosignedSize = latest.size();
        status.cosignedAtMillis = System.currentTimeMillis();
        status.cosignatures.increment();
        status.lastOutcome = "cosigned " + latest.size();
        lastRefusal = null;
        lastFailure = null;
        backoffMillis = MIN_BACKOFF_MILLIS;
        conflictsInARow = 0;
        return 0;
    }

    /**
     * The answer's lines from this witness's key, verified over {@code body} by appending them to it
     * (as C2SP tlog-witness suggests); lines from other keys are ignored, and a zero timestamp,
     * which the protocol forbids, is refused.
     */
    private List<NoteSignature> verified(String body, String lines) {
        VerifiedNote opened = Notes.open((body + "\n" + lines).getBytes(StandardCharsets.UTF_8),
                VerifierSet.of(witness.key()));
        List<NoteSignature> own = opened.note().signatures().stream()
                .filter(s -> s.name().equals(witness.name()) && s.keyId() == witness.key().keyId()).distinct().toList();
        for (NoteSignature s : own) {
            if (TimestampedSignature.parse(s.signature()).timestamp() == 0) {
                throw new ProofException(ProofErrorCode.COSIGNATURE_MALFORMED, "timestamp is zero");
            }
        }
        return own;
    }

    private long conflict(String text) {
        long size;
        try {
            size = TlogSize.parse(text);
        } catch (ProofException e) {
            return failed("409 without a tree size: " + e.getMessage());
        }
        knownSize = size;
        status.lastOutcome = "409: witness knows size " + size;
        // Normal when two replicas submit to the same witness; a loop would mean a confused witness.
        return ++conflictsInARow < MAX_CONFLICTS_IN_A_ROW ? 0 : backoff();
    }

    private long refused(LongAdder counter, String why) {
        counter.increment();
        if (!why.equals(lastRefusal)) {
            LOG.warnf("witness %s refused checkpoint: %s", witness.name(), why);
            lastRefusal = why;
        }
        status.lastOutcome = why;
        knownSize = -1;
        conflictsInARow = 0;
        return REFUSED_PAUSE_MILLIS;
    }

    private long failed(String why) {
        if (!why.equals(lastFailure)) {
            LOG.warnf("witness %s: %s (logged once until it changes or succeeds)", witness.name(), why);
            lastFailure = why;
        }
        status.failures.increment();
        status.lastOutcome = why;
        knownSize = -1;
        return backoff();
    }

    private long backoff() {
        long b = backoffMillis;
        backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
        return b;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(TIMEOUT.toMillis());
    }
}
