package io.tracemark.verify.resolver;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.verify.feed.AnchorRequestFeed;
import io.tracemark.verify.feed.FedIndex;
import io.tracemark.verify.receipts.RecordsView;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * The resolver's {@link BatchIndex}, built from the record store at start (one projected pass over batches and
 * events) and kept current from ingest's anchor requests by the {@link AnchorRequestFeed}: a product batch or EPCIS
 * event announced there has its index fields read back by {@code _id}, since the request names the record but not
 * its lot or EPCs.
 */
// A singleton, not application-scoped: its superclass has no no-args constructor for a client proxy.
@Singleton
public class BatchIndexFeed extends FedIndex<BatchIndex> {
    private final RecordsView view;
    private final MeterRegistry meters;

    public BatchIndexFeed(RecordsView view, MeterRegistry meters) {
        super(meters, "tracemark.verify.resolver.index", "resolver index");
        this.view = view;
        this.meters = meters;
    }

    void start(@Observes StartupEvent e) {
        Gauge.builder("tracemark.verify.resolver.index.keys", () -> current() == null ? 0 : current().size())
                .description("GTIN and lot, input and EPC keys in the resolver's in-memory index").register(meters);
    }

    @Override
    protected RuntimeException notBuilt(String reason) {
        return new IndexLoading(reason);
    }

    @Override
    protected BatchIndex buildFromStore() {
        BatchIndex fresh = new BatchIndex();
        view.forEachBatchOrEvent(fresh::add);
        return fresh;
    }

    @Override
    protected String describe(BatchIndex built) {
        return built.size() + " keys";
    }

    @Override
    protected void apply(BatchIndex index, List<AnchorRequest> requests) {
        List<String> ids = requests.stream().filter(a -> RecordsView.PRODUCT_BATCH.equals(a.type())
                || RecordsView.EPCIS_EVENT.equals(a.type())).map(AnchorRequest::recordId).toList();
        if (!ids.isEmpty()) {
            view.batchOrEventKeys(ids, index::add);
        }
    }

    /** The resolver index is not built yet (the service just started, or the store or Kafka is unreachable). */
    public static final class IndexLoading extends RuntimeException {
        IndexLoading(String reason) {
            super(reason);
        }
    }
}
