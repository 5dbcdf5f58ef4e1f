package io.tracemark.attest.receipts;

import io.tracemark.attest.ledger.ChainNodeClient;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.cosignature.TimestampedSignature;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteSignature;
import io.tracemark.proofs.receipt.WitnessEvidence;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A block's witness evidence for its receipts: a checkpoint at least as large as the block's, cosigned by the
 * log's witnesses, with the consistency proof to it (chain node {@code /v1/checkpoints/witnessed}). Witnesses
 * cosign a moment after a checkpoint is served, so this waits, after the block arrived, about as long as the
 * witnesses lately took ({@link WitnessDelays}), at most {@code tracemark.attest.receipt.witness-wait}, for every
 * witness seen cosigning within {@code late-signature-wait}, taking the evidence as soon as it is there; a witness missing
 * at the deadline is not waited for again until it cosigns again, so one that is down delays one block, not every
 * block.
 * Whatever is there at the deadline goes into the receipts, which otherwise say why they carry no evidence.
 */
@ApplicationScoped
public class WitnessEvidenceReader {
    private static final Logger LOG = Logger.getLogger(WitnessEvidenceReader.class);
    private static final long POLL_MILLIS = 25;
    private static final long NO_WITNESSES_RECHECK_NANOS = Duration.ofMinutes(1).toNanos();

    private final ChainNodeClient chain;
    private final WitnessDelays delays;
    private final long windowNanos;
    /** Witness names by when they last appeared on evidence. */
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    private volatile long noWitnessesUntil;
    /** Set after a wait ended with no cosignature at all, until one appears again. */
    private volatile boolean silent;

    public WitnessEvidenceReader(ChainNodeClient chain,
                                 @ConfigProperty(name = "tracemark.attest.receipt.witness-wait", defaultValue = "1s") Duration wait,
                                 @ConfigProperty(name = "tracemark.attest.receipt.late-signature-wait", defaultValue = "20s") Duration window) {
        this.chain = chain;
        this.delays = new WitnessDelays(wait.toNanos());
        this.windowNanos = window.toNanos();
    }

    /**
     * A block's evidence and the witnesses it lacks.
     *
     * @param missing witnesses seen cosigning lately whose cosignature the evidence lacks (sorted); the receipt
     *                served later by {@code GET /v1/receipts/{id}} carries them once they cosigned
     */
    public record Outcome(WitnessEvidence evidence, List<String> missing) {
        static Outcome of(WitnessEvidence evidence) {
            return new Outcome(evidence, List.of());
        }
    }

    /** The evidence for the checkpoint of {@code treeSize}, waiting from {@code firstSeenNanos} at most the current wait. */
    public Outcome evidence(long treeSize, long firstSeenNanos) {
        long now = System.nanoTime();
        if (now < noWitnessesUntil) {
            return Outcome.of(WitnessEvidence.unwitnessed("the log has no witnesses"));
        }
        long waitNanos = delays.waitNanos();
        long deadline = firstSeenNanos + waitNanos;
        while (true) {
            ChainNodeClient.Witnessed w;
            try {
                w = chain.witnessed(treeSize);
            } catch (RuntimeException e) {
                // Evidence is an addition: a ledger that cannot serve it now must not hold up the receipts.
                LOG.debugf("witness evidence for size %d unavailable: %s", treeSize, e.toString());
                return Outcome.of(WitnessEvidence.unwitnessed("the ledger could not serve witness evidence when this receipt was made"));
            }
            now = System.nanoTime();
            if (!w.logHasWitnesses()) {
                noWitnessesUntil = now + NO_WITNESSES_RECHECK_NANOS;
                return Outcome.of(w.evidence());
            }
            Set<String> cosigners = w.evidence().isWitnessed() ? cosigners(w.evidence().checkpoint()) : Set.of();
            for (String name : cosigners) {
                lastSeen.put(name, now);
            }
            if (!cosigners.isEmpty()) {
                silent = false;
            }
            long at = now;
            Set<String> expected = lastSeen.entrySet().stream().filter(e -> at - e.getValue() < windowNanos)
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            boolean complete = cosigners.containsAll(expected) && (!cosigners.isEmpty() || silent);
            if (complete || now >= deadline) {
                if (complete && !cosigners.isEmpty()) {
                    delays.completed(now - firstSeenNanos);
                } else if (!complete) {
                    delays.ranOut(waitNanos);
                }
                List<String> missing = expected.stream().filter(n -> !cosigners.contains(n)).sorted().toList();
                if (!complete) {
                    // Those missing now are not waited for again until they cosign again.
                    missing.forEach(lastSeen::remove);
                    silent = cosigners.isEmpty();
                }
                return new Outcome(w.evidence(), missing);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.of(w.evidence());
            }
        }
    }

    /** Names on a note's {@code cosignature/v1} lines (timestamped Ed25519: 72 bytes); only to know whom to wait for. */
    static Set<String> cosigners(String note) {
        try {
            return Note.parse(note.getBytes(StandardCharsets.UTF_8)).signatures().stream()
                    .filter(s -> s.signature().length == TimestampedSignature.ED25519_LENGTH)
                    .map(NoteSignature::name).collect(Collectors.toSet());
        } catch (ProofException e) {
            return Set.of();
        }
    }
}
