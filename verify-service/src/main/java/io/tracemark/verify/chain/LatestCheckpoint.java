package io.tracemark.verify.chain;

import io.tracemark.proofs.cosignature.WitnessedCheckpoint;
import io.tracemark.proofs.cosignature.WitnessedCheckpoints;
import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.note.Note;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ledger's latest signed checkpoint (C2SP tlog-checkpoint), read at most once per
 * {@code tracemark.verify.chain.latest-checkpoint-ttl}, with its signatures verified once under the trust
 * policy, and the RFC 9162 §2.1.4 consistency proofs to it, remembered until the next checkpoint: a
 * verification burst on one block costs the chain node one checkpoint and one proof, not three calls each.
 */
@ApplicationScoped
public class LatestCheckpoint {
    private final ChainNodeClient chain;
    private final TrustPolicy trust;
    private final long ttlMillis;
    private volatile Latest latest;
    /**
     * The newest reading that verified, witnesses included: witnesses cosign a checkpoint a moment after it is
     * served, so under steady load the latest one is often not yet witnessed while the one before it is.
     */
    private volatile Latest lastVerified;
    private final ReentrantLock reading = new ReentrantLock();

    public LatestCheckpoint(ChainNodeClient chain, TrustPolicy trust,
                            @ConfigProperty(name = "tracemark.verify.chain.latest-checkpoint-ttl") Duration ttl) {
        this.chain = chain;
        this.trust = trust;
        this.ttlMillis = ttl.toMillis();
    }

    /**
     * One reading of the latest checkpoint.
     *
     * @param note     the signed note, verbatim
     * @param verified its checkpoint when it verified under the trust policy of {@code policy}, else null
     * @param witnessedBy names of the policy's witnesses whose cosignatures on it verified
     * @param failure  why it did not verify, else null
     */
    private record Latest(String note, Checkpoint verified, List<String> witnessedBy, ProofException failure,
                          TrustPolicy.Snapshot policy, long readAt, Map<Long, List<byte[]>> proofsFrom) {
        /** The tree size the note states, -1 when its body does not parse. */
        long size() {
            if (verified != null) {
                return verified.size();
            }
            try {
                return Checkpoint.parse(Note.parse(note.getBytes(StandardCharsets.UTF_8)).text()).size();
            } catch (ProofException e) {
                return -1;
            }
        }
    }

    /**
     * The tree size of the latest checkpoint (fresh within the TTL), whether or not it verifies under the trust
     * policy: what the ledger's own answers (such as a leaf's absence) are relative to. -1 when its body does not parse.
     *
     * @throws io.tracemark.edge.problem.ProblemException 503 when no replica answers
     */
    public long treeSize() {
        return current().size();
    }

    /** The latest signed note, verbatim (fresh within the TTL). */
    public String note() {
        return current().note();
    }

    /**
     * The latest checkpoint verified under {@code policy}; read afresh when the remembered one is smaller
     * than {@code atLeast} (a receipt newer than it), so a fresh receipt is never judged by a stale log.
     *
     * @throws ProofException when it does not verify (e.g. too few trusted signatures)
     * @throws io.tracemark.edge.problem.ProblemException 503 when no replica answers
     */
    public Checkpoint verified(TrustPolicy.Snapshot policy, long atLeast) {
        return usable(policy, atLeast).verified();
    }

    /**
     * The reading that judges a receipt of size {@code atLeast}: the latest checkpoint, or, while the latest is
     * only short of witness cosignatures, the newest one that verified with them if it is at least that large.
     */
    private Latest usable(TrustPolicy.Snapshot policy, long atLeast) {
        Latest l = current();
        if (l.verified() != null && l.verified().size() < atLeast) {
            l = remember(verify(chain.checkpoint(), policy, System.currentTimeMillis()));
        }
        if (l.policy() != policy) {
            l = remember(verify(l.note(), policy, l.readAt()));
        }
        if (l.verified() == null) {
            Latest witnessed = lastVerified;
            if (ProofErrorCode.WITNESS_THRESHOLD.equals(l.failure().errorCode()) && witnessed != null
                    && witnessed.policy() == policy && witnessed.verified().size() >= atLeast) {
                return witnessed;
            }
            throw l.failure();
        }
        return l;
    }

    private Latest remember(Latest l) {
        latest = l;
        if (l.verified() != null) {
            Latest before = lastVerified;
            if (before == null || before.policy() != l.policy() || before.verified().size() <= l.verified().size()) {
                lastVerified = l;
            }
        }
        return l;
    }

    /** The RFC 9162 consistency proof from {@code from} to the latest checkpoint of size {@code to}. */
    public List<byte[]> consistencyProof(long from, long to) {
        Latest l = latest;
        if (l == null || l.verified() == null || l.verified().size() != to) {
            l = lastVerified;
        }
        if (l == null || l.verified() == null || l.verified().size() != to) {
            return chain.consistencyProof(from, to);
        }
        return l.proofsFrom().computeIfAbsent(from, f -> chain.consistencyProof(f, to));
    }

    private Latest current() {
        Latest l = latest;
        if (l != null && System.currentTimeMillis() - l.readAt() < ttlMillis) {
            return l;
        }
        // One caller reads the ledger; while it does, the others go on with the last reading rather than queue
        // behind it (or all ask the ledger at once): the tail of a verification burst stays flat at every renewal.
        if (l != null && !reading.tryLock()) {
            return l;
        }
        if (l == null) {
            reading.lock();
        }
        try {
            l = latest;
            long now = System.currentTimeMillis();
            if (l != null && now - l.readAt() < ttlMillis) {
                return l;
            }
            String note = chain.checkpoint();
            TrustPolicy.Snapshot policy = trust.current();
            // An unchanged log keeps its verification and the proofs to it; only the reading is renewed.
            l = l != null && l.note().equals(note) && l.policy() == policy
                    ? new Latest(note, l.verified(), l.witnessedBy(), l.failure(), policy, now, l.proofsFrom())
                    : verify(note, policy, now);
            return remember(l);
        } finally {
            reading.unlock();
        }
    }

    /** Names of the trusted witnesses that cosigned the latest checkpoint verified under {@code policy}. */
    public List<String> witnessedBy(TrustPolicy.Snapshot policy, long atLeast) {
        Latest l = usable(policy, atLeast);
        return l.witnessedBy() == null ? List.of() : l.witnessedBy();
    }

    private static Latest verify(String note, TrustPolicy.Snapshot policy, long readAt) {
        Checkpoint cp = null;
        List<String> witnessedBy = List.of();
        ProofException failure = null;
        byte[] bytes = note.getBytes(StandardCharsets.UTF_8);
        try {
            if (policy.witnesses().witnesses().isEmpty()) {
                cp = SignedCheckpoints.verify(bytes, policy.origin(), policy.trusted(), policy.threshold()).checkpoint();
            } else {
                WitnessedCheckpoint w = WitnessedCheckpoints.verify(bytes, policy.origin(), policy.trusted(),
                        policy.threshold(), policy.witnesses(), Instant.now());
                cp = w.checkpoint().checkpoint();
                witnessedBy = w.cosignatures().stream().map(c -> c.witness().name()).toList();
            }
        } catch (ProofException e) {
            failure = e;
        }
        return new Latest(note, cp, witnessedBy, failure, policy, readAt, new ConcurrentHashMap<>());
    }
}
