package io.tracemark.verify.feed;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.anchor.AnchorRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What one index shows of the shared feed: loading (a lookup's 503) until built, why, rebuilds, skipped requests. */
class FedIndexTest {
    static final class Loading extends RuntimeException {
        Loading(String reason) {
            super(reason);
        }
    }

    /** An index of record ids that refuses requests of type "bad" as a contract violation of its own. */
    static final class Ids extends FedIndex<List<String>> {
        final List<String> stored = new ArrayList<>();

        Ids(MeterRegistry meters) {
            super(meters, "test.index", "test index");
        }

        @Override
        protected List<String> buildFromStore() {
            return new ArrayList<>(stored);
        }

        @Override
        protected String describe(List<String> built) {
            return built.size() + " ids";
        }

        @Override
        protected void apply(List<String> current, List<AnchorRequest> requests) {
            requests.forEach(r -> current.add(r.recordId()));
        }

        @Override
        protected RuntimeException notBuilt(String reason) {
            return new Loading(reason);
        }

        @Override
        protected void validate(AnchorRequest request) {
            if ("bad".equals(request.type())) {
                throw new ContractViolation("test.bad", "refused by this index");
            }
        }
    }

    private static AnchorRequest request(String id, String type) {
        return new AnchorRequest(id, "t", type, "0".repeat(64), Instant.now(), List.of(), null);
    }

    @Test
    void lookupsGetTheLoadingExceptionWithTheFeedsLastFailureUntilTheFirstBuild() {
        Ids ids = new Ids(new SimpleMeterRegistry());
        assertEquals("starting", assertThrows(Loading.class, ids::index).getMessage());
        ids.failed(new IllegalStateException("store down"));
        assertTrue(ids.notReadyReason().contains("store down"), ids.notReadyReason());
        assertTrue(assertThrows(Loading.class, ids::index).getMessage().contains("store down"));

        ids.stored.add("a");
        ids.build();
        assertNull(ids.notReadyReason());
        assertEquals(List.of("a"), ids.index());
        // A later failure of the feed leaves the built index serving.
        ids.failed(new IllegalStateException("kafka down"));
        assertNull(ids.notReadyReason());
    }

    @Test
    void aRequestThisIndexRefusesIsCountedAndSkippedWhileTheOthersOfItsPollAreApplied() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Ids ids = new Ids(meters);
        ids.build();
        ids.feed(List.of(request("a", "ok"), request("b", "bad"), request("c", "ok")));
        assertEquals(List.of("a", "c"), ids.index());
        assertEquals(1.0, meters.get("test.index.skipped").tag("reason", "test.bad").counter().count());
    }

    @Test
    void aRequestedRebuildSwapsInAFreshIndexAndCompletesWithItsDuration() throws Exception {
        Ids ids = new Ids(new SimpleMeterRegistry());
        ids.build();
        List<String> first = ids.index();
        ids.stored.add("restored");
        CompletableFuture<Duration> done = ids.rebuild();
        assertTrue(ids.rebuildRequested());
        ids.build();
        assertTrue(done.isDone());
        assertTrue(done.get().toMillis() >= 0);
        assertEquals(List.of("restored"), ids.index());
        assertNotSame(first, ids.index());
        assertFalse(ids.rebuildRequested());
        assertSame(ids.index(), ids.current());
    }
}
