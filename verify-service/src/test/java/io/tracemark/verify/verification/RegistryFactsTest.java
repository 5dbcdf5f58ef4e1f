package io.tracemark.verify.verification;

import io.tracemark.contracts.records.RecordContent;
import io.tracemark.verify.receipts.RecordsView;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryFactsTest {
    /** A store of records by id that counts its reads. */
    static final class CountingStore extends RecordsView {
        final Map<String, Document> records = new HashMap<>();
        int reads;

        CountingStore() {
            super(null, "db", "records", "supersessions", 100);
        }

        @Override
        public Optional<Document> registryFacts(String id) {
            reads++;
            Document d = records.get(id);
            return d == null ? Optional.empty() : Optional.of(new Document(d));
        }
    }

    final CountingStore store = new CountingStore();
    final AtomicLong nanos = new AtomicLong();

    @Test
    void aRecordVerifiedAgainWithinTheTtlIsReadFromTheStoreOnce() {
        store.records.put("r1", new Document("_id", "r1").append("tenant", "acme"));
        RegistryFacts facts = new RegistryFacts(store, Duration.ofSeconds(1), 100, nanos::get);
        for (int i = 0; i < 5; i++) {
            assertEquals("acme", facts.of("r1").orElseThrow().getString("tenant"));
            nanos.addAndGet(Duration.ofMillis(100).toNanos());
        }
        assertEquals(1, store.reads);
    }

    @Test
    void anErasureShowsOnceTheTtlHasPassed() {
        store.records.put("r1", new Document("_id", "r1"));
        RegistryFacts facts = new RegistryFacts(store, Duration.ofSeconds(1), 100, nanos::get);
        assertNull(facts.of("r1").orElseThrow().get(RecordContent.ERASED_AT));
        store.records.get("r1").append(RecordContent.ERASED_AT, "2026-12-04T21:30:00Z");
        nanos.addAndGet(Duration.ofMillis(1001).toNanos());
        assertEquals("2026-12-04T21:30:00Z", facts.of("r1").orElseThrow().get(RecordContent.ERASED_AT));
    }

    @Test
    void aRecordTheStoreDoesNotHoldIsAskedForAgain() {
        RegistryFacts facts = new RegistryFacts(store, Duration.ofSeconds(1), 100, nanos::get);
        assertTrue(facts.of("r2").isEmpty());
        store.records.put("r2", new Document("_id", "r2"));
        assertTrue(facts.of("r2").isPresent());
        assertEquals(2, store.reads);
    }

    @Test
    void aZeroTtlReadsTheStoreOnEveryVerification() {
        store.records.put("r1", new Document("_id", "r1"));
        RegistryFacts facts = new RegistryFacts(store, Duration.ZERO, 100, nanos::get);
        facts.of("r1");
        facts.of("r1");
        assertEquals(2, store.reads);
    }
}
