package io.tracemark.verify.chain;

import io.quarkus.runtime.LaunchMode;
import io.tracemark.contracts.ledger.LedgerKeys;
import io.tracemark.edge.problem.ProblemException;
import io.tracemark.proofs.cosignature.WitnessPolicy;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.receipt.CheckMemo;
import io.tracemark.proofs.receipt.TimestampTokens;
import io.tracemark.proofs.receipt.VerificationPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which checkpoint signers and time-stamp authority this service trusts, how many signers must sign,
 * and for which log origin.
 *
 * <p>Operators pin the log's and witnesses' verifier keys with {@code tracemark.verify.verifier-keys};
 * when none are pinned the chain node's own {@code /v1/keys} are used, which proves integrity
 * against that node but not independence from it. Unless {@code tracemark.verify.checkpoint-threshold}
 * says otherwise, every trusted key must have signed: one replica alone cannot vouch for the log.
 * Witnesses outside the operator ({@code tracemark.verify.witnesses}, C2SP tlog-cosignature verifier keys;
 * all of them unless {@code tracemark.verify.witness-threshold} says fewer) must have cosigned the log's
 * latest checkpoint, to which every receipt's checkpoint is proven consistent: a split view shown to this
 * verifier would need the witnesses to cosign both sides. External RFC 3161 authorities' tokens are checked
 * against the certificates pinned with {@code tracemark.verify.timestamp-authority-certificates} (PEM files),
 * or else those the replicas publish at {@code /v1/keys}.
 */
@ApplicationScoped
public class TrustPolicy {
    private final ChainNodeClient chain;
    private final String origin;
    private final Optional<Integer> threshold;
    private final List<String> pinned;
    private final int memoCapacity;
    private final WitnessPolicy witnesses;
    private final List<String> pinnedAuthorities;
    private final long keysTtlMillis;
    private volatile Snapshot cached;
    private volatile long readAt;
    private final ReentrantLock reading = new ReentrantLock();

    private static final Logger LOG = Logger.getLogger(TrustPolicy.class);

    public TrustPolicy(ChainNodeClient chain,
                       @ConfigProperty(name = "tracemark.verify.origin") String origin,
                       @ConfigProperty(name = "tracemark.verify.checkpoint-threshold") Optional<Integer> threshold,
                       @ConfigProperty(name = "tracemark.verify.verifier-keys") Optional<List<String>> pinned,
                       @ConfigProperty(name = "tracemark.verify.checkpoint-checks-cache-size") int memoCapacity,
                       @ConfigProperty(name = "tracemark.verify.witnesses") Optional<List<String>> witnesses,
                       @ConfigProperty(name = "tracemark.verify.witness-threshold") Optional<Integer> witnessThreshold,
                       @ConfigProperty(name = "tracemark.verify.timestamp-authority-certificates") Optional<List<String>> authorities,
                       @ConfigProperty(name = "tracemark.verify.keys-ttl", defaultValue = "60s") Duration keysTtl) {
        this.chain = chain;
        this.keysTtlMillis = keysTtl.toMillis();
        this.pinnedAuthorities = authorities.orElse(List.of()).stream().map(String::trim).filter(f -> !f.isEmpty())
                .map(TrustPolicy::readPem).toList();
        List<String> vkeys = witnesses.orElse(List.of()).stream().map(String::trim).filter(w -> !w.isEmpty()).toList();
        // Every named witness by default, as for the replicas: a witness policy nobody has to meet protects nothing.
        this.witnesses = vkeys.isEmpty() ? WitnessPolicy.none()
                : WitnessPolicy.parse(vkeys, witnessThreshold.orElse(vkeys.size()));
        this.memoCapacity = memoCapacity;
        this.origin = origin;
        this.threshold = threshold;
        this.pinned = pinned.orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (this.pinned.isEmpty() && LaunchMode.current() == LaunchMode.NORMAL) {
            LOG.warn("tracemark.verify.verifier-keys is not set: verdicts trust the keys the chain node publishes at "
                    + "/v1/keys, which proves integrity against that node but not independence from it; pin the "
                    + "replicas' and witnesses' verifier keys in production");
        }
    }

    /**
     * The trust decision in force.
     *
     * @param tsaCertificates PEM certificates of the trusted RFC 3161 TSAs (each replica's and each external
     *                        authority's), possibly none
     * @param replicaTsaCertificates PEM certificates of the replicas' own TSAs, one per distinct TSA
     * @param verification    the same decision as proofs' offline verifier takes it
     * @param memo            checkpoint check outcomes under this decision
     * @param fetchedAt       when the keys of this decision were first read
     * @param witnesses       witnesses (C2SP tlog-cosignature keys) of which the latest checkpoint must carry
     *                        {@code threshold} cosignatures, or {@link WitnessPolicy#none()}
     */
    public record Snapshot(String origin, List<String> verifierKeys, VerifierSet trusted, int threshold,
                           List<String> tsaCertificates, List<String> replicaTsaCertificates,
                           VerificationPolicy verification, CheckMemo memo,
                           long fetchedAt, WitnessPolicy witnesses) {
        /** Whether {@code other} trusts exactly the same keys, threshold and TSAs. */
        boolean sameTrust(Snapshot other) {
            return other != null && verifierKeys.equals(other.verifierKeys) && threshold == other.threshold
                    && tsaCertificates.equals(other.tsaCertificates);
        }
    }

    /**
     * The current trust policy, refreshing keys from the chain node replicas at most once per {@code keys-ttl}; while no
     * replica answers, the last keys read are kept.
     */
    public Snapshot current() {
        Snapshot s = cached;
        if (s != null && System.currentTimeMillis() - readAt < keysTtlMillis) {
            return s;
        }
        // One caller asks the replicas; while it does, the others keep the decision in force instead of all asking.
        if (s != null && !reading.tryLock()) {
            return s;
        }
        if (s == null) {
            reading.lock();
        }
        try {
            s = cached;
            long now = System.currentTimeMillis();
            if (s != null && now - readAt < keysTtlMillis) {
                return s;
            }
            s = read(s, now);
            cached = s;
            readAt = now;
            return s;
        } finally {
            reading.unlock();
        }
    }

    private Snapshot read(Snapshot s, long now) {
        List<LedgerKeys> replicas;
        try {
            replicas = chain.keysOfEveryReplica();
        } catch (ProblemException e) {
            // Keys the ledger gave before still hold while it is unreachable; the checks that need it say so.
            if (s != null) {
                return s;
            }
            throw e;
        }
        Set<String> published = new LinkedHashSet<>();
        Set<String> tsa = new LinkedHashSet<>();
        for (LedgerKeys k : replicas) {
            published.addAll(k.verifierKeys());
            if (k.tsaCertificate() != null && !k.tsaCertificate().isBlank()) {
                tsa.add(k.tsaCertificate());
            }
        }
        List<String> replicaTsa = List.copyOf(tsa);
        for (LedgerKeys k : replicas) {
            if (pinnedAuthorities.isEmpty()) {
                k.timestampAuthorities().stream().map(LedgerKeys.TimestampAuthority::certificate).filter(c -> !c.isBlank())
                        .forEach(tsa::add);
            }
        }
        tsa.addAll(pinnedAuthorities);
        List<String> verifierKeys = pinned.isEmpty() ? List.copyOf(published) : pinned;
        VerifierSet trusted = VerifierSet.parse(verifierKeys);
        int required = threshold.orElse(trusted.size());
        // A receipt without witness evidence is not failed here: checkpoint.consistent checks the witnessed latest one.
        VerificationPolicy verification = new VerificationPolicy(origin, trusted, required,
                tsa.stream().map(TimestampTokens::parseCertificatePem).toList(), false).withWitnesses(witnesses, false);
        Snapshot fresh = new Snapshot(origin, verifierKeys, trusted, required, List.copyOf(tsa), replicaTsa, verification,
                new PolicyMemo(memoCapacity), now, witnesses);
        // Same trust, same outcomes: the decision in force stays (the same instance, with what it remembered and what
        // was verified under it, such as the latest checkpoint); only the time it was read again renews.
        return fresh.sameTrust(s) ? s : fresh;
    }

    /** The configured witness policy (it does not depend on the ledger's keys). */
    public WitnessPolicy witnesses() {
        return witnesses;
    }

    private static String readPem(String file) {
        try {
            String pem = java.nio.file.Files.readString(java.nio.file.Path.of(file));
            TimestampTokens.parseCertificatePem(pem);
            return pem;
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("tracemark.verify.timestamp-authority-certificates: cannot read " + file
                    + ": " + e.getMessage(), e);
        }
    }

    /** The log origin checkpoints must name. */
    public String origin() {
        return origin;
    }
}
