package io.tracemark.verify.chain;

import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.receipt.TimestampTokens;
import io.tracemark.proofs.receipt.VerificationPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Optional;

/**
 * Which checkpoint signers and time-stamp authority this service trusts, how many signers must sign,
 * and for which log origin.
 *
 * <p>Operators pin the log's and witnesses' verifier keys with {@code tracemark.verify.verifier-keys};
 * when none are pinned the chain node's own {@code /v1/keys} are used, which proves integrity
 * against that node but not independence from it. Unless {@code tracemark.verify.checkpoint-threshold}
 * says otherwise, every trusted key must have signed: one replica alone cannot vouch for the log.
 */
@ApplicationScoped
public class TrustPolicy {
    private static final long KEYS_TTL_MILLIS = 60_000;

    private final ChainNodeClient chain;
    private final String origin;
    private final Optional<Integer> threshold;
    private final List<String> pinned;
    private volatile Snapshot cached;

    public TrustPolicy(ChainNodeClient chain,
                       @ConfigProperty(name = "tracemark.verify.origin") String origin,
                       @ConfigProperty(name = "tracemark.verify.checkpoint-threshold") Optional<Integer> threshold,
                       @ConfigProperty(name = "tracemark.verify.verifier-keys") Optional<List<String>> pinned) {
        this.chain = chain;
        this.origin = origin;
        this.threshold = threshold;
        this.pinned = pinned.orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * The trust decision in force.
     *
     * @param tsaCertificate PEM certificate of the trusted RFC 3161 TSA, or null when the log publishes none
     * @param verification   the same decision as proofs' offline verifier takes it
     */
    public record Snapshot(String origin, List<String> verifierKeys, VerifierSet trusted, int threshold,
                           String tsaCertificate, VerificationPolicy verification, long fetchedAt) {
    }

    /** The current trust policy, refreshing keys from the chain node at most once a minute. */
    public Snapshot current() {
        Snapshot s = cached;
        long now = System.currentTimeMillis();
        if (s != null && now - s.fetchedAt() < KEYS_TTL_MILLIS) {
            return s;
        }
        ChainNodeClient.Keys keys = chain.keys();
        List<String> verifierKeys = pinned.isEmpty() ? keys.verifierKeys() : pinned;
        VerifierSet trusted = VerifierSet.parse(verifierKeys);
        int required = threshold.orElse(trusted.size());
        String tsa = keys.tsaCertificate() == null || keys.tsaCertificate().isBlank() ? null : keys.tsaCertificate();
        VerificationPolicy verification = new VerificationPolicy(origin, trusted, required,
                tsa == null ? List.of() : List.of(TimestampTokens.parseCertificatePem(tsa)), false);
        s = new Snapshot(origin, verifierKeys, trusted, required, tsa, verification, now);
        cached = s;
        return s;
    }

    /** The log origin checkpoints must name. */
    public String origin() {
        return origin;
    }
}
