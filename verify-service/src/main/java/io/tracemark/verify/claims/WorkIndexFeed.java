package io.tracemark.verify.claims;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.proofs.media.PerceptualHash;
import io.tracemark.verify.feed.AnchorRequestFeed;
import io.tracemark.verify.feed.FedIndex;
import io.tracemark.verify.receipts.RecordsView;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@link WorkIndex}, built from the record store at start and kept current from ingest's anchor requests
 * (media works carry their file SHA-256 and pHash there) by the {@link AnchorRequestFeed}, which says why none
 * is missed.
 */
// A singleton, not application-scoped: its superclass has no no-args constructor for a client proxy.
@Singleton
public class WorkIndexFeed extends FedIndex<WorkIndex> {
    private static final int SCAN_BATCH = 10_000;

    private final RecordsView view;
    private final MeterRegistry meters;

    public WorkIndexFeed(RecordsView view, MeterRegistry meters) {
        super(meters, "tracemark.verify.claims.index", "claim index");
        this.view = view;
        this.meters = meters;
    }

    void start(@Observes StartupEvent e) {
        Gauge.builder("tracemark.verify.claims.index.works", () -> current() == null ? 0 : current().size())
                .description("media works in the in-memory claim index").register(meters);
        Gauge.builder("tracemark.verify.claims.index.bytes", () -> current() == null ? 0 : current().bytes()).baseUnit("bytes")
                .description("heap held by the claim index's arrays").register(meters);
        Gauge.builder("tracemark.verify.claims.index.build.seconds", this::lastBuildSeconds).baseUnit("seconds")
                .description("duration of the latest build of the claim index from the store (-0.001 before the first)")
                .register(meters);
    }

    @Override
    protected RuntimeException notBuilt(String reason) {
        return new IndexLoading(reason);
    }

    @Override
    protected WorkIndex buildFromStore() {
        WorkIndex fresh = new WorkIndex();
        List<WorkIndex.Work> batch = new ArrayList<>(SCAN_BATCH);
        view.forEachWork((id, sha, phash) -> {
            batch.add(new WorkIndex.Work(id, sha, phash));
            if (batch.size() == SCAN_BATCH) {
                fresh.addAll(batch);
                batch.clear();
            }
        });
        fresh.addAll(batch);
        return fresh;
    }

    @Override
    protected String describe(WorkIndex built) {
        return built.size() + " works, " + (built.bytes() >> 20) + " MiB";
    }

    @Override
    protected void validate(AnchorRequest a) {
        if (RecordsView.MEDIA_WORK.equals(a.type()) && a.work() == null) {
            throw new ContractViolation("anchor-request.work", "a media work without work identity");
        }
    }

    @Override
    protected void apply(WorkIndex index, List<AnchorRequest> requests) {
        List<WorkIndex.Work> works = new ArrayList<>();
        for (AnchorRequest a : requests) {
            if (RecordsView.MEDIA_WORK.equals(a.type())) {
                works.add(new WorkIndex.Work(a.recordId(), a.work().sha256(),
                        a.work().phash() == null ? null : PerceptualHash.parse(a.work().phash())));
            }
        }
        if (!works.isEmpty()) {
            index.addAll(works);
        }
    }

    /** The claim index is not built yet (the service just started, or the store or Kafka is unreachable). */
    public static final class IndexLoading extends RuntimeException {
        IndexLoading(String reason) {
            super(reason);
        }
    }
}
