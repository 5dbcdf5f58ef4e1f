package io.tracemark.verify.feed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.anchor.AnchorRequest;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory index built from the record store and kept current by the {@link AnchorRequestFeed}, which scans
 * the store and hands each new anchor request to every such index; this class holds what one index needs of it:
 * the index once built, why it is not yet (a lookup before then throws {@link #notBuilt}, which its feature maps
 * to 503), its rebuilds, and its meters ({@code <prefix>.failures}, {@code <prefix>.skipped{reason}}).
 *
 * @param <I> the index type
 */
public abstract class FedIndex<I> {
    private static final Logger LOG = Logger.getLogger(FedIndex.class);

    private final String name;
    private final Counter failures;
    private final MeterRegistry meters;
    private final String meterPrefix;
    private final Set<String> loggedReasons = ConcurrentHashMap.newKeySet();
    private volatile I index;
    private volatile CompletableFuture<Duration> rebuild;
    private volatile long lastBuildMillis = -1;
    private volatile String failure = "starting";

    /**
     * @param meterPrefix prefix of the index's meters ({@code .failures}, {@code .skipped})
     * @param name        what the index is called in logs and readiness reasons, e.g. "claim index"
     */
    protected FedIndex(MeterRegistry meters, String meterPrefix, String name) {
        this.meters = meters;
        this.meterPrefix = meterPrefix;
        this.name = name;
        this.failures = Counter.builder(meterPrefix + ".failures")
                .description("failures of the " + name + "'s build or Kafka feed (retried)").register(meters);
    }

    /** Scans the store into a fresh index (the current one answers meanwhile). */
    protected abstract I buildFromStore();

    /** What an index holds, for the log. */
    protected abstract String describe(I built);

    /** Adds the records these requests announce to {@code current}; a record seen twice is indexed once. */
    protected abstract void apply(I current, List<AnchorRequest> requests);

    /** The exception a lookup gets before the first build: one its feature maps to 503. */
    protected abstract RuntimeException notBuilt(String reason);

    /** Throws when a request is unusable for this index though well-formed for the codec; does nothing by default. */
    protected void validate(AnchorRequest request) {
    }

    /** The index, once built; until then lookups throw {@link #notBuilt}. */
    public I index() {
        I i = index;
        if (i == null) {
            throw notBuilt(notReadyReason());
        }
        return i;
    }

    /** Why the index is not serving yet, or null once it is. */
    public String notReadyReason() {
        return index != null ? null : failure;
    }

    /**
     * Builds a fresh index from the store and swaps it in (the old one answers meanwhile); completes with the
     * time the build took. For operators and benchmarks after a bulk load that bypassed the topic.
     */
    public CompletableFuture<Duration> rebuild() {
        CompletableFuture<Duration> f = new CompletableFuture<>();
        rebuild = f;
        return f;
    }

    /** The index, or null before the first build (for gauges). */
    protected I current() {
        return index;
    }

    /** Duration of the latest build from the store in seconds (-0.001 before the first). */
    protected double lastBuildSeconds() {
        return lastBuildMillis / 1000.0;
    }

    String name() {
        return name;
    }

    boolean rebuildRequested() {
        return rebuild != null;
    }

    /** Scans the store into a fresh index and swaps it in, completing a requested rebuild. */
    void build() {
        CompletableFuture<Duration> requested = rebuild;
        long start = System.nanoTime();
        I fresh = buildFromStore();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        index = fresh;
        lastBuildMillis = took.toMillis();
        LOG.infof("%s built from the store: %s, in %d ms", name, describe(fresh), took.toMillis());
        if (requested != null) {
            if (rebuild == requested) {
                rebuild = null;
            }
            requested.complete(took);
        }
    }

    /** Applies the requests this index can use to it (a no-op before the first build: the build will see them). */
    void feed(List<AnchorRequest> requests) {
        I current = index;
        if (current == null) {
            return;
        }
        List<AnchorRequest> usable = requests.stream().filter(this::usable).toList();
        if (!usable.isEmpty()) {
            apply(current, usable);
        }
    }

    /** Records a failure of the build or the feed: counted, and the reason readiness gives until built. */
    void failed(Throwable t) {
        failure = "the " + name + " could not be built or fed: " + t;
        failures.increment();
    }

    /** Counts a request that broke the contract for this index, logging its stack trace once per reason. */
    void skipped(ContractViolation e, String where) {
        Counter.builder(meterPrefix + ".skipped").tag("reason", e.code())
                .description("anchor requests the " + name + " could not read (contract violations), by reason")
                .register(meters).increment();
        if (loggedReasons.add(e.code())) {
            LOG.warnf(e, "%s skipped an anchor request (%s at %s); further ones are only counted", name, e.code(), where);
        }
    }

    private boolean usable(AnchorRequest a) {
        try {
            validate(a);
            return true;
        } catch (ContractViolation e) {
            skipped(e, "record " + a.recordId());
            return false;
        }
    }
}
