package io.tracemark.chain.timestamp.external;

import io.tracemark.contracts.ledger.AuthorityTimestamps;
import io.tracemark.contracts.ledger.LedgerKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The external RFC 3161 authorities that time-stamp every checkpoint besides the replica's own TSA
 * (docs/ledger.md, "External time-stamping authorities"): one {@link AuthorityStamper} each, tokens
 * stored under {@code <tsa dir>/external/<name>}.
 */
public final class ExternalTimestamps implements AutoCloseable {
    private final List<AuthorityStamper> stampers;

    private ExternalTimestamps(List<AuthorityStamper> stampers) {
        this.stampers = stampers;
    }

    /**
     * Starts asking the configured authorities.
     *
     * @throws IllegalArgumentException naming the entry when one is malformed or two share a name
     */
    public static ExternalTimestamps open(Path dir, ExternalTsaSettings settings) {
        List<Authority> authorities = settings.authorities().stream().filter(e -> !e.isBlank()).map(Authority::parse).toList();
        if (authorities.stream().map(Authority::name).distinct().count() != authorities.size()) {
            throw new IllegalArgumentException("external TSA names must be distinct: " + settings.authorities());
        }
        List<AuthorityStamper> stampers = new ArrayList<>();
        for (Authority a : authorities) {
            stampers.add(new AuthorityStamper(a, settings, dir.resolve(a.name())));
        }
        return new ExternalTimestamps(List.copyOf(stampers));
    }

    /** Queues the checkpoint of {@code size} with note text {@code body} at every authority; never blocks. */
    public void submit(long size, String body) {
        stampers.forEach(s -> s.submit(size, body));
    }

    /** What every authority has for the checkpoint of {@code size}: tokens, and who is still pending or missing. */
    public AuthorityTimestamps of(long size) {
        List<AuthorityTimestamps.Token> tokens = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (AuthorityStamper s : stampers) {
            Optional<byte[]> t = s.token(size);
            if (t.isPresent()) {
                tokens.add(new AuthorityTimestamps.Token(s.authority().name(), Base64.getEncoder().encodeToString(t.get())));
            } else if (s.isPending(size)) {
                pending.add(s.authority().name());
            } else {
                missing.add(s.authority().name());
            }
        }
        return new AuthorityTimestamps(size, tokens, pending, missing);
    }

    /** The configured authorities as {@code /v1/keys} publishes them. */
    public List<LedgerKeys.TimestampAuthority> published() {
        return stampers.stream().map(s -> new LedgerKeys.TimestampAuthority(s.authority().name(),
                s.authority().url().toString(), s.authority().certificatePem())).toList();
    }

    /** Per-authority counters and status, for metrics and readiness. */
    public List<Status> statuses() {
        return stampers.stream().map(Status::new).toList();
    }

    /** A read-only view of one authority's progress. */
    public static final class Status {
        private final AuthorityStamper s;

        private Status(AuthorityStamper s) {
            this.s = s;
        }

        /** The authority's configured name. */
        public String name() {
            return s.authority().name();
        }

        /** Tokens obtained and stored since start. */
        public double obtained() {
            return s.obtained();
        }

        /** Requests that gave no usable token (unreachable, timeout, error status, refused token) since start. */
        public double failures() {
            return s.failures();
        }

        /** Requests repeated after a failure since start. */
        public double retries() {
            return s.retries();
        }

        /** Checkpoints left without this authority's token (attempts used up, skipped or dropped) since start. */
        public double missed() {
            return s.missed();
        }

        /** Largest tree size stamped since start, -1 before the first. */
        public double lastStampedSize() {
            return s.lastStampedSize();
        }

        /** {@code ok: …} or {@code degraded: <last failure>…}. */
        @Override
        public String toString() {
            return s.status();
        }
    }

    @Override
    public void close() {
        stampers.forEach(AuthorityStamper::close);
    }
}
